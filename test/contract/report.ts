// The report every run writes, for someone checking their own server as much as for the suite's own runs:
// - report.md starts with the failures, each with the rule it broke, the request as sent (method, URL, headers
//   with credentials hidden, body) and the target's whole response (status, headers, body), nothing cut; then the
//   rule table (passed, failed, skipped with the reason; a failed rule points to its failures);
// - report.json holds the same as data (totals, sampling, failures, rules, every check);
// - consoleSummary() is what `npm run test:contract` prints (reporter.ts): the totals, one line per failure, and
//   last the path of report.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from './exchange.js';
import type { Result, Sampling } from './suite.js';
import type { Target } from './target.js';

export interface Meta {
  seed: number;
  startedAt: Date;
  durationMs: number;
  sampling?: Sampling;
}

export interface ShownRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
}

export interface ShownResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface Failure {
  /** 1-based, as report.md numbers them. */
  n: number;
  group: string;
  check: string;
  /** The rule of the check (the report's rule table row). */
  rule: string;
  /** What the target broke: each rule with what exactly. */
  broken: { rule: string; detail: string }[];
  request?: ShownRequest;
  /** The response, or why none arrived. */
  response?: ShownResponse | { error: string };
  /** The check's message, when the failure carried no exchange (an error of the suite itself, a timeout). */
  message?: string;
}

interface RuleRow {
  rule: string;
  operationId?: string;
  passed: number;
  failed: number;
  skipped: number;
  skipReasons: string[];
  /** The numbers of its failures in `failures`. */
  failures: number[];
}

/**
 * A request header as the report shows it: credential values are hidden (the token, the temporary credentials'
 * security token, the signature of an AK/SK Authorization header, whose key ID and signed headers stay visible).
 */
export function shownHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'x-auth-token' || lower === 'x-security-token') return '[REDACTED]';
  if (lower === 'authorization') return value.replace(/Signature=[^,\s]*/i, 'Signature=[REDACTED]');
  return value;
}

function shownExchange(target: Target, x: Exchange): Pick<Failure, 'request' | 'response'> {
  const request: ShownRequest = {
    method: x.method,
    url: target.redact(x.url),
    headers: x.requestHeaders.map(([k, v]) => [k, target.redact(shownHeader(k, v))]),
    body: x.requestBody === undefined ? null : target.redact(x.requestBody),
  };
  const response = x.status
    ? { status: x.status, headers: [...x.headers.entries()].map(([k, v]) => [k, target.redact(v)] as [string, string]), body: target.redact(x.text) }
    : { error: target.redact(x.networkError ?? 'no response') };
  return { request, response };
}

export function summarise(target: Target, results: Result[], meta: Meta) {
  const failures: Failure[] = [];
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
    if (r.outcome === 'failed') {
      const n = failures.length + 1;
      row.failures.push(n);
      const message = target.redact(r.message ?? '');
      failures.push({
        n,
        group: r.check.group.join(' › '),
        check: r.check.name,
        rule: r.check.rule,
        broken: r.broken?.length ? r.broken.map((b) => ({ rule: b.rule, detail: target.redact(b.detail) })) : [{ rule: r.check.rule, detail: message.split('\n')[0]! }],
        ...(r.exchange ? shownExchange(target, r.exchange) : { message }),
      });
    }
  }
  const count = (o: Result['outcome']) => results.filter((r) => r.outcome === o).length;
  const sampled = meta.sampling?.operations.filter((o) => o.sent < o.enumerated) ?? [];
  return {
    target: target.label,
    prism: target.prism,
    writes: target.writes,
    seed: meta.seed,
    startedAt: meta.startedAt.toISOString(),
    durationMs: meta.durationMs,
    totals: { checks: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    ...(meta.sampling ? { sampling: { maxCases: meta.sampling.maxCases === Infinity ? 'all' : meta.sampling.maxCases, sampled } } : {}),
    misjudged: meta.sampling?.misjudged ?? {},
    failures,
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

export type Summary = ReturnType<typeof summarise>;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A fenced block that no backtick run inside `text` can close early. */
function fenced(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

function requestBlock(r: ShownRequest): string {
  const lines = [`${r.method} ${r.url}`, ...r.headers.map(([k, v]) => `${k}: ${v}`)];
  return fenced(r.body === null ? `${lines.join('\n')}\n\n(no body)` : `${lines.join('\n')}\n\n${r.body === '' ? '(empty body)' : r.body}`, 'http');
}

function responseBlock(r: ShownResponse | { error: string }): string {
  if ('error' in r) return fenced(`no HTTP response: ${r.error}`);
  const lines = [`HTTP ${r.status}`, ...r.headers.map(([k, v]) => `${k}: ${v}`)];
  return fenced(`${lines.join('\n')}\n\n${r.body === '' ? '(empty body)' : r.body}`, 'http');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function markdown(summary: Summary): string {
  const { totals } = summary;
  const lines = [
    `# Contract report: ${summary.target}`,
    '',
    `${summary.startedAt}, ${(summary.durationMs / 1000).toFixed(1)} s, seed ${summary.seed}${summary.prism ? ', Prism target (checks Prism cannot judge are skipped)' : ''}${summary.writes ? '' : ', writes off'}.`,
    '',
    `**${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped** of ${totals.checks} checks, ${summary.rules.length} rules.`,
  ];
  if (summary.sampling && summary.sampling.sampled.length) {
    const left = summary.sampling.sampled.reduce((n, o) => n + o.enumerated - o.sent, 0);
    const rulesLeft = summary.sampling.sampled.reduce((n, o) => n + o.rules - o.rulesSent, 0);
    lines.push(
      '',
      `At most ${summary.sampling.maxCases} enumerated cases per operation (VOD_CONTRACT_MAX_CASES), chosen by the seed one rule at a time: ` +
        `${plural(summary.sampling.sampled.length, 'operation')} sampled, ${left} cases not sent this run` +
        `${rulesLeft ? ` (${plural(rulesLeft, 'rule')} of theirs untried; another VOD_CONTRACT_SEED tries others)` : ' (every rule tried)'}; ` +
        'VOD_CONTRACT_MAX_CASES=all sends every case.',
    );
  }
  const misjudged = Object.entries(summary.misjudged);
  if (misjudged.length) {
    const n = misjudged.reduce((k, [, list]) => k + list.length, 0);
    lines.push('', `**${plural(n, 'case')} left out**, which the suite's enumerator built wrongly (its bug, not the target's): ${misjudged.map(([op, list]) => `${op} (${list.length})`).join(', ')}; see report.json.`);
  }
  lines.push('', '## Failures', '');
  if (!summary.failures.length) lines.push('None.');
  else {
    lines.push(
      `${plural(summary.failures.length, 'check')} failed. Each: the rule the target broke, the request as sent (credentials hidden) and the target's whole response.`,
    );
  }
  for (const f of summary.failures) {
    lines.push('', `<a id="failure-${f.n}"></a>`, '', `### ${f.n}. ${f.group} › ${f.check}`, '');
    for (const b of f.broken) lines.push(`**Broke:** ${b.rule}${b.detail ? ` — ${b.detail}` : ''}`, '');
    if (f.request) lines.push('Request:', '', requestBlock(f.request), '');
    if (f.response) lines.push('Response:', '', responseBlock(f.response), '');
    if (f.message) lines.push(fenced(f.message), '');
  }
  lines.push(
    '',
    '## Rules',
    '',
    'Every rule the suite exercised, in the spec\'s order: how many of its checks passed, failed (see the failures above) and were skipped (with the reason).',
    '',
    '| rule | passed | failed | skipped | notes |',
    '|---|---:|---:|---:|---|',
  );
  for (const row of summary.rules) {
    const notes = [
      ...(row.failures.length ? [`failed: ${row.failures.map((n) => `[#${n}](#failure-${n})`).join(', ')}`] : []),
      ...row.skipReasons.map((r) => `skipped: ${r}`),
    ];
    lines.push(`| ${cell(row.rule)} | ${row.passed} | ${row.failed} | ${row.skipped} | ${cell(notes.join('<br>'))} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes report.json and report.md into the target's report directory; returns their paths. */
export function writeReport(target: Target, results: Result[], meta: Meta) {
  const summary = summarise(target, results, meta);
  mkdirSync(target.reportDir, { recursive: true });
  const json = join(target.reportDir, 'report.json');
  const md = join(target.reportDir, 'report.md');
  writeFileSync(json, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(md, markdown(summary));
  return { json, md, summary };
}

/** One line of at most `width` characters. */
const oneLine = (text: string, width: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

/** Failures the console lists one by one; the rest are counted (all are in report.md). */
const CONSOLE_FAILURES = 100;

/**
 * What the console shows of a run: the totals, then each failure on one line (the rule it broke, what exactly,
 * and the check), and, last, the path of report.md, where each failure has its request and response in full.
 */
export function consoleSummary(summary: Pick<Summary, 'target' | 'totals' | 'failures' | 'durationMs' | 'seed'>, mdPath: string): string[] {
  const { totals } = summary;
  const lines = [
    `Contract suite against ${summary.target}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped of ${totals.checks} checks (${(summary.durationMs / 1000).toFixed(1)} s, seed ${summary.seed})`,
  ];
  if (summary.failures.length) {
    lines.push(`${plural(summary.failures.length, 'failure')} (each with its request and response in the report):`);
    for (const f of summary.failures.slice(0, CONSOLE_FAILURES)) {
      const broke = f.broken.map((b) => `${b.rule}${b.detail ? ` (${b.detail})` : ''}`).join('; ');
      lines.push(`  ${oneLine(`${f.n}. ${broke} — ${f.group} › ${f.check}`, 300)}`);
    }
    if (summary.failures.length > CONSOLE_FAILURES) lines.push(`  … and ${summary.failures.length - CONSOLE_FAILURES} more in the report`);
  }
  lines.push(`Report: ${mdPath}`);
  return lines;
}
