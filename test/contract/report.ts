// The report every run writes: report.json (machine-readable) and report.md (a table, rule by rule: passed, failed,
// skipped with the reason), so that a run against the real service is a conformance report of it against the spec.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from './suite.js';
import type { Target } from './target.js';

interface RuleRow {
  rule: string;
  operationId?: string;
  passed: number;
  failed: number;
  skipped: number;
  skipReasons: string[];
  failures: { check: string; message: string }[];
}

export function summarise(target: Target, results: Result[], meta: { seed: number; startedAt: Date; durationMs: number }) {
  const rules = new Map<string, RuleRow>();
  for (const r of results) {
    const key = r.check.rule;
    let row = rules.get(key);
    if (!row) {
      row = { rule: key, ...(r.check.operationId ? { operationId: r.check.operationId } : {}), passed: 0, failed: 0, skipped: 0, skipReasons: [], failures: [] };
      rules.set(key, row);
    }
    row[r.outcome]++;
    if (r.outcome === 'skipped' && r.message && !row.skipReasons.includes(r.message)) row.skipReasons.push(r.message);
    if (r.outcome === 'failed') row.failures.push({ check: r.check.name, message: target.redact(r.message ?? '') });
  }
  const count = (o: Result['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    target: target.label,
    prism: target.prism,
    writes: target.writes,
    seed: meta.seed,
    startedAt: meta.startedAt.toISOString(),
    durationMs: meta.durationMs,
    totals: { checks: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    rules: [...rules.values()],
    checks: results.map((r) => ({
      group: r.check.group.join(' › '),
      name: r.check.name,
      rule: r.check.rule,
      outcome: r.outcome,
      ...(r.message ? { [r.outcome === 'skipped' ? 'reason' : 'message']: target.redact(r.message) } : {}),
    })),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdown(summary: ReturnType<typeof summarise>): string {
  const { totals } = summary;
  const lines = [
    `# Contract report: ${summary.target}`,
    '',
    `${summary.startedAt}, ${(summary.durationMs / 1000).toFixed(1)} s, seed ${summary.seed}${summary.prism ? ', Prism target (checks Prism cannot judge are skipped)' : ''}${summary.writes ? '' : ', writes off'}.`,
    '',
    `**${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped** of ${totals.checks} checks, ${summary.rules.length} rules.`,
    '',
    '| rule | passed | failed | skipped | notes |',
    '|---|---:|---:|---:|---|',
  ];
  for (const row of summary.rules) {
    const notes = [
      ...row.failures.slice(0, 2).map((f) => `FAILED ${f.check}: ${f.message.slice(0, 300)}`),
      ...(row.failures.length > 2 ? [`… ${row.failures.length - 2} more failures`] : []),
      ...row.skipReasons.map((r) => `skipped: ${r}`),
    ];
    lines.push(`| ${cell(row.rule)} | ${row.passed} | ${row.failed} | ${row.skipped} | ${cell(notes.join('<br>'))} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes report.json and report.md into the target's report directory; returns their paths. */
export function writeReport(target: Target, results: Result[], meta: { seed: number; startedAt: Date; durationMs: number }) {
  const summary = summarise(target, results, meta);
  mkdirSync(target.reportDir, { recursive: true });
  const json = join(target.reportDir, 'report.json');
  const md = join(target.reportDir, 'report.md');
  writeFileSync(json, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(md, markdown(summary));
  return { json, md, summary };
}
