// Bounding the enumerated cases per operation. The enumerator derives every case from the spec (a large body gives
// hundreds: CreateEditTask over 900); sending all of them for 83 operations would make a run against a mock take
// minutes and one against a rate-limited service take hours. A run sends at most `max` of an operation's cases,
// chosen one rule at a time: the minimal request first, then one case of each rule in an order the seed shuffles,
// then a second case of each, and so on. So every rule is tried as long as the operation has fewer rules than the
// cap, and another seed (VOD_CONTRACT_SEED) tries other cases of the same rules. Deterministic: the same cases,
// seed and cap give the same sample, in the enumerator's order.
import type { RequestCase } from './enumerate.js';

/** Enumerated cases per operation when VOD_CONTRACT_MAX_CASES is not set. */
export const DEFAULT_MAX_CASES = 96;

/** VOD_CONTRACT_MAX_CASES: a positive integer, or `all` (also `0`) for every enumerated case. */
export function maxCasesFromEnv(value: string | undefined): number {
  const text = value?.trim().toLowerCase();
  if (!text) return DEFAULT_MAX_CASES;
  if (text === 'all' || text === '0') return Infinity;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`contract suite: VOD_CONTRACT_MAX_CASES must be a positive integer or "all", got "${value}"`);
  }
  return n;
}

/** mulberry32: a small seeded PRNG, so that a sample depends on the seed only (not on Math.random). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** At most `max` of `cases` (all when there are no more), chosen rule by rule as described above. */
export function sampleCases(cases: RequestCase[], max: number, seed: number): RequestCase[] {
  if (cases.length <= max) return cases;
  const random = prng(seed);
  const byRule = new Map<string, RequestCase[]>();
  for (const c of cases) byRule.set(c.rule, [...(byRule.get(c.rule) ?? []), c]);
  const queues = shuffled([...byRule.keys()], random).map((rule) => shuffled(byRule.get(rule)!, random));
  const picked = new Set<RequestCase>();
  // The minimal request: every other case is a variation of it, and it is the one the authentication checks send.
  const minimal = cases.find((c) => c.kind === 'minimal');
  if (minimal) picked.add(minimal);
  while (picked.size < max) {
    let added = false;
    for (const queue of queues) {
      const next = queue.shift();
      if (!next || picked.has(next)) continue;
      picked.add(next);
      added = true;
      if (picked.size >= max) break;
    }
    if (!added) break;
  }
  return cases.filter((c) => picked.has(c));
}
