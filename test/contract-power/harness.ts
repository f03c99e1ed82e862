// The contract suite proves its own power: it runs against a conforming implementation of every operation (several
// conforming variants: extra response fields, 403 VOD.10062 for an unknown asset, a charset parameter, throttling),
// which must pass with nothing skipped, and against servers that each break one rule of the contract, which must
// all fail, naming the broken rule (variants.ts).
//
// The servers and the suite's checks run in-process (suite.ts is what contract.test.ts runs), so that ~50 servers
// take seconds, not minutes, split over two test files (power.test.ts, power-2.test.ts) that vitest runs on both
// cores; two runs of `vitest run test/contract/` in a subprocess, against the conforming server and a broken one,
// prove the command a user runs: its exit code, its output and its report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { operations } from '../contract/cases/operations.js';
import { buildChecks, runChecks, type Check, type Result } from '../contract/suite.js';
import { targetFromEnv } from '../contract/target.js';
import { IMPLEMENTED, POWER_AKSK, POWER_TOKEN, startVodServer, type VodServer } from './servers.js';
import { variants, type Variant, type VariantName } from './variants.js';


// Inside a run of the contract suite that this test started, it stands aside (the child runs `test/contract/`,
// whose trailing slash already keeps this file out; the variable makes sure).
const standAside = process.env.VOD_CONTRACT_POWER_CHILD === '1';

/** The reporter option of `npm run test:contract` (package.json). */
const REPORTER = '--reporter=./test/contract/reporter.ts';

const env = (url: string, reportDir: string): NodeJS.ProcessEnv => ({
  VOD_BASE_URL: url,
  VOD_PROJECT_ID: '0123456789abcdef0123456789abcdef',
  VOD_AUTH_TOKEN: POWER_TOKEN,
  VOD_AK: POWER_AKSK.ak,
  VOD_SK: POWER_AKSK.sk,
  VOD_DOMAIN_ID: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  VOD_CONTRACT_WRITES: '1',
  VOD_CONTRACT_REPORT: reportDir,
});

/**
 * The checks a variant runs against. Conforming servers get every check (no false alarm anywhere). A broken server
 * gets the checks that can see its fault: those of the operation its rule names (and the chains), or the
 * authentication checks for an authentication fault. Each of those checks is in the full suite too, so a failure
 * here is a failure of `npm run test:contract` against that server; the subset keeps ~50 servers within seconds.
 */
function scope(variant: Variant): (check: Check) => boolean {
  if (variant.conforming) return () => true;
  const text = variant.expect instanceof RegExp ? variant.expect.source : variant.expect ?? '';
  const named = operations().map((o) => o.id).filter((id) => text.includes(id));
  if (named.length) return (c) => !c.operationId || named.includes(c.operationId);
  if (variant.auth) return (c) => c.group.includes('authentication');
  return () => true;
}

interface Run {
  url: string;
  results: Result[];
  ms: number;
}

function runSuite(url: string, reportDir: string): Promise<{ code: number | null; output: string; ms: number }> {
  // The parent's environment without what vitest set for its worker, and without the caller's VOD_* (their
  // credentials must not reach, nor their target replace, the local servers).
  const vitestSet = ['TEST', 'VITEST', 'NODE_ENV', 'PROD', 'DEV', 'BASE_URL', 'MODE', 'SSR', 'FORCE_TTY', 'COLOR'];
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|VOD_)/.test(key) && !vitestSet.includes(key) && key !== 'npm_lifecycle_event') childEnv[key] = value;
  }
  Object.assign(childEnv, env(url, reportDir), { VOD_CONTRACT_POWER_CHILD: '1', NO_COLOR: '1', FORCE_COLOR: '0' });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // `npm run test:contract`'s command (its reporter), on the contract checks only (not the suite's unit tests).
    const child = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/contract/contract.test.ts', REPORTER], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}


const failures = (run: Run) => run.results.filter((r) => r.outcome === 'failed');
const show = (name: string, run: Run) => {
  const failed = failures(run);
  return `\n--- ${name} (${run.url}): ${failed.length} failed, ${run.results.filter((r) => r.outcome === 'skipped').length} skipped of ${run.results.length}, ${run.ms} ms ---\n${failed
    .slice(0, 8)
    .map((r) => `${r.check.name}: ${r.message}`)
    .join('\n')
    .slice(0, 6000)}`;
};

/** The power test for some of the variants (`part` of `parts`), with the subprocess runs when `withChildRuns`. */
export function describePower(part: number, parts: number, withChildRuns: boolean) {
const all = (Object.entries(variants) as [VariantName, Variant][]).filter((_, i) => i % parts === part);
const CHILD_RUNS: VariantName[] = withChildRuns ? ['conforming', 'body-on-204'] : [];
describe(`the contract suite catches every broken server and passes the conforming ones (part ${part + 1} of ${parts})`, () => {
  if (standAside) {
    it.skip('power test [skipped: inside a run of the contract suite started by the power test]', () => {});
    return;
  }

  const runs = new Map<VariantName, Run>();
  const servers: VodServer[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'vod-power-'));
  const child = new Map<string, { code: number | null; output: string; ms: number; report: string }>();

  beforeAll(async () => {
    for (const [name] of all) servers.push(await startVodServer(name));
    const byName = new Map(all.map(([name], i) => [name, servers[i]!]));
    const childRuns = Promise.all(
      CHILD_RUNS.map(async (name) => {
        const server = await startVodServer(name);
        servers.push(server);
        const report = join(scratch, name);
        child.set(name, { ...(await runSuite(server.url, report)), report });
      }),
    );
    // A few servers at a time, each with the suite's own concurrency.
    const queue = [...all];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [name, variant] = next;
        const server = byName.get(name)!;
        const target = targetFromEnv(env(server.url, join(scratch, 'in-process')));
        const started = Date.now();
        // Every enumerated case (no sample): the power of the enumeration itself, on the operations it implements.
        const results = await runChecks(buildChecks(target, { maxCases: Infinity }).filter(scope(variant)), 8);
        runs.set(name, { url: server.url, results, ms: Date.now() - started });
        if (process.env.VOD_POWER_TIMING) console.log(`${name}: ${results.length} checks, ${Date.now() - started} ms`);
      }
    };
    await Promise.all([childRuns, ...Array.from({ length: 4 }, worker)]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const [name, variant] of all) {
    const title = variant.conforming
      ? `${name} (${variant.breaks}): every check passes, those of the operations it does not offer skipped as such`
      : `${name} (${variant.breaks}): caught by the checks that can see it, naming ${variant.expect instanceof RegExp ? variant.expect.source : JSON.stringify(variant.expect)}`;
    it(title, () => {
      const run = runs.get(name)!;
      const messages = run.results.map((r) => r.message ?? '').join('\n');
      expect(messages.includes(POWER_TOKEN) || messages.includes(POWER_AKSK.sk), `no message may show a credential${show(name, run)}`).toBe(false);
      if (variant.conforming) {
        expect(failures(run).length, `a conforming server must pass${show(name, run)}`).toBe(0);
        // Exactly the checks of the operations it does not offer are skipped, each saying so (nothing else is, with
        // writes and both credentials); the rest ran.
        const offers = variant.offers ?? [...IMPLEMENTED];
        const offered = (r: Result) => [r.check.operationId, ...(r.check.operations ?? [])].every((id) => !id || offers.includes(id));
        const skipped = run.results.filter((r) => r.outcome === 'skipped');
        expect(skipped.filter(offered).map((r) => `${r.check.name}: ${r.message}`), 'nothing skipped of what it offers').toEqual([]);
        const notOffered = run.results.filter((r) => !offered(r));
        expect(new Set(notOffered.map((r) => r.check.operationId).filter(Boolean)).size, 'the operations it does not offer').toBe(
          operations().filter((o) => !offers.includes(o.id)).length,
        );
        const wrong = notOffered.filter((r) => !(r.outcome === 'skipped' && /does not offer \w+: .* 404 APIG\.0101/.test(r.message!)));
        expect(wrong.map((r) => `${r.check.name}: ${r.outcome} ${r.message}`), 'skipped as not offered, naming the answer').toEqual([]);
        expect(run.results.filter((r) => r.outcome === 'passed').length).toBeGreaterThan(100);
      } else {
        const expected = variant.expect!;
        const caught = failures(run).some((r) => (typeof expected === 'string' ? r.message!.includes(expected) : expected.test(r.message!)));
        expect(caught, `the suite must fail naming ${String(expected)}${show(name, run)}`).toBe(true);
      }
    });
  }

  if (!withChildRuns) return;

  it('`npm run test:contract` uses the contract reporter (the command the child runs below)', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts['test:contract']).toBe(`vitest run test/contract/ ${REPORTER}`);
  });

  it('the suite passes against the conforming server, skipping only what it does not offer, and says so in a few lines', () => {
    const run = child.get('conforming')!;
    const tail = `\n--- exit ${run.code}, ${run.ms} ms ---\n${run.output.slice(-4000)}`;
    expect(run.code, `exit code${tail}`).toBe(0);
    expect(run.output.includes(POWER_TOKEN), 'the output never shows the token').toBe(false);
    const report = JSON.parse(readFileSync(join(run.report, 'report.json'), 'utf8'));
    expect(report.totals.failed).toBe(0);
    expect(report.totals.passed).toBeGreaterThan(300);
    const skipped = report.checks.filter((c: { outcome: string }) => c.outcome === 'skipped');
    expect(skipped.filter((c: { reason: string }) => !/^the target does not offer \w+: /.test(c.reason)).map((c: { name: string }) => c.name)).toEqual([]);
    const lines = run.output.trimEnd().split('\n');
    expect(lines.at(-1), tail).toBe(`Report: ${join(run.report, 'report.md')}`);
    expect(lines.at(-2), tail).toMatch(new RegExp(`^Contract suite against http://127\\.0\\.0\\.1:\\d+: ${report.totals.passed} passed, 0 failed, ${report.totals.skipped} skipped of ${report.totals.checks} checks`));
    const md = readFileSync(join(run.report, 'report.md'), 'utf8');
    expect(md).toMatch(/\n## Failures\n\nNone\.\n\n## Rules\n/);
    expect(md).toMatch(/\| rule \| passed \| failed \| skipped \| notes \|/);
  });

  it('against a broken server: a short console summary, one line per failure, ending with the report, which starts with the failures in full', () => {
    const run = child.get('body-on-204')!;
    const tail = `\n--- exit ${run.code}, ${run.ms} ms ---\n${run.output.slice(-4000)}`;
    expect(run.code, `exit code${tail}`).not.toBe(0);
    const report = JSON.parse(readFileSync(join(run.report, 'report.json'), 'utf8'));
    const failed = report.totals.failed;
    expect(failed).toBeGreaterThan(0);
    const lines = run.output.trimEnd().split('\n');
    const mdPath = join(run.report, 'report.md');
    // The console: no stack traces, the totals, a line per failure naming the rule, and last the report's path.
    expect(lines.at(-1), tail).toBe(`Report: ${mdPath}`);
    expect(run.output, tail).not.toMatch(/\n\s+(at |❯ )\S+:\d+/);
    expect(lines.length, tail).toBeLessThan(failed + 12);
    const summaryAt = lines.findIndex((l) => l.startsWith('Contract suite against '));
    expect(lines[summaryAt], tail).toContain(`, ${failed} failed, `);
    const failureLines = lines.slice(summaryAt + 2, -1);
    expect(failureLines, tail).toHaveLength(failed);
    expect(failureLines.filter((l) => l.includes(variants['body-on-204'].expect.replace(/^rule: /, ''))).length, tail).toBeGreaterThan(0);
    expect(run.output.includes(POWER_TOKEN), 'the output never shows the token').toBe(false);

    // report.md: the failures first, each with the rule once, the request (credentials hidden) and the whole response.
    const md = readFileSync(mdPath, 'utf8');
    const sections = md.split(/\n## /);
    expect(sections[1]!.startsWith('Failures\n'), 'the first section is the failures').toBe(true);
    expect(sections[2]!.startsWith('Rules\n')).toBe(true);
    const first = sections[1]!.split(/\n### /)[1]!;
    expect(first).toMatch(/^1\. CreateSmartCover › /);
    expect(first.match(/\*\*Broke:\*\* a response declared without content has an empty body, read at the socket — 204 is declared without content for CreateSmartCover, but 16 body bytes/g)).toHaveLength(1);
    expect(first).toMatch(/Request:\n\n```http\nPOST http:\/\/127\.0\.0\.1:\d+\/v1\.0\/0123456789abcdef0123456789abcdef\/asset\/smart_cover\n/);
    expect(first).toContain('\nx-auth-token: [REDACTED]\n');
    expect(first).toMatch(/\n\n\{"asset_id":"[^"]+"\}\n```/);
    expect(first).toContain('Response:\n\n```http\nHTTP 204\ncontent-type: application/json\ncontent-length: 16\n\n{"status":"ok"}\n\n```');
    expect(md.includes(POWER_TOKEN) || md.includes(POWER_AKSK.sk), 'no credential in the report').toBe(false);
    // The rule table points to the failures instead of repeating them.
    expect(sections[2]).toMatch(/\| failed: \[#1\]\(#failure-1\)/);
  });
});
}
