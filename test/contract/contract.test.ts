// The contract suite: does an implementation answer every operation of generated/openapi.json the way the spec
// says? By default against a Prism mock it starts itself; VOD_TARGET=prism for a Prism mock started elsewhere;
// VOD_BASE_URL for any implementation (see target.ts and README.md next to this file). The checks come from
// suite.ts (cases enumerated from the spec, at most VOD_CONTRACT_MAX_CASES per operation, a seeded random phase,
// authentication, chains); each is a test named after its rule, and every run writes report.json and report.md
// (dist/contract-report/ or VOD_CONTRACT_REPORT). `npm run test:contract` prints them with reporter.ts.
import { afterAll, describe, it, vi } from 'vitest';
import { maxCasesFromEnv } from './cases/sample.js';
import { writeReport } from './report.js';
import { buildSuite, DEFAULT_SEED, resultOf, SkipCheck, type Check, type Result } from './suite.js';
import { targetFromEnv } from './target.js';

const target = targetFromEnv();
const seed = process.env.VOD_CONTRACT_SEED ? Number(process.env.VOD_CONTRACT_SEED) : DEFAULT_SEED;
if (!Number.isInteger(seed)) throw new Error(`contract suite: VOD_CONTRACT_SEED must be an integer, got "${process.env.VOD_CONTRACT_SEED}"`);
const { checks, sampling, missing } = buildSuite(target, { seed, maxCases: maxCasesFromEnv(process.env.VOD_CONTRACT_MAX_CASES) });
const results: Result[] = [];
const startedAt = new Date();

// Started while the file is collected, not in beforeAll: the operations the target does not offer are found first
// (one probe each), so that each of them is one skipped test rather than a hundred that skip one by one.
await target.start();
let notOffered: Map<string, string>;
try {
  notOffered = await missing();
} catch (error) {
  await target.stop();
  throw error;
}

afterAll(async () => {
  await target.stop();
  // In the suite's order (concurrent checks finish in any order).
  const order = new Map(checks.map((c, i) => [c, i]));
  results.sort((a, b) => order.get(a.check)! - order.get(b.check)!);
  const { md, summary } = writeReport(target, results, { seed, startedAt, durationMs: Date.now() - startedAt.getTime(), sampling });
  const { passed, failed, skipped } = summary.totals;
  console.log(`contract report (${passed} passed, ${failed} failed, ${skipped} skipped): ${md}`);
});

// The checks wait on the target, not on the CPU: more of a group's checks in flight than vitest's default 5 keep a
// mock busy (a third faster against Prism). A remote target's requests are spaced by its rate limits anyway.
vi.setConfig({ maxConcurrency: 16 });

// Long enough to wait out a 429's Retry-After (exchange.ts waits up to 90 s in all) on a target that throttles.
const CHECK_TIMEOUT_MS = 150_000;

function register(check: Check) {
  if (check.skip) {
    results.push({ check, outcome: 'skipped', message: check.skip, ms: 0 });
    it.skip(`${check.name} [skipped: ${check.skip}]`, () => {});
    return;
  }
  it(check.name, { timeout: check.timeoutMs ?? CHECK_TIMEOUT_MS }, async (context) => {
    const started = Date.now();
    try {
      await check.run();
      results.push({ check, outcome: 'passed', ms: Date.now() - started });
    } catch (error) {
      results.push(resultOf(check, error, Date.now() - started));
      // Found when it ran (an operation the target does not offer): skipped, with the reason in the report.
      if (error instanceof SkipCheck) return context.skip(error.message);
      throw error;
    }
  });
}

// The checks of an operation the target does not offer (or of a chain that uses one): in the report one by one,
// each skipped with the reason (or its own, when it was skipped anyway); in vitest one skipped test per operation.
const folded = new Map<string, Check[]>();
const usedMissing = (check: Check) => [check.operationId, ...(check.operations ?? [])].find((id) => id && notOffered.has(id));
for (const check of checks) {
  const op = usedMissing(check);
  if (!op) continue;
  results.push({ check, outcome: 'skipped', message: check.skip ?? notOffered.get(op)!, ms: 0 });
  folded.set(op, [...(folded.get(op) ?? []), check]);
}

// Checks grouped as the suite names them (operation, then part); the groups run one after another, the checks of
// a group concurrently (each is independent: chains are one check each).
const groups = new Map<string, Check[]>();
for (const check of checks) {
  if (usedMissing(check)) continue;
  const key = check.group.join(' › ');
  groups.set(key, [...(groups.get(key) ?? []), check]);
}

describe(`VOD contract against ${target.label}`, () => {
  for (const [title, members] of groups) {
    describe.concurrent(title, () => {
      for (const check of members) register(check);
    });
  }
  if (folded.size) {
    describe('operations the target does not offer', () => {
      for (const [op, members] of folded) it.skip(`${op}: its ${members.length} checks [skipped: ${notOffered.get(op)}]`, () => {});
    });
  }
});
