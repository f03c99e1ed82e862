// Writes the benchmark report from the figures that bench/run.mjs keeps in bench/results/ (node-<line>.json per Node
// line, closure.json): bench/results.md gets the full tables per line, README.md's "Benchmarks" section (between the
// bench markers; nothing else in the README is touched) the Node lines side by side. `node bench/report.mjs` redoes
// both from the stored figures without measuring anything.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// What the report calls each variant of bench/http.mjs.
const labels = {
  fetch: 'raw `fetch` (token header)',
  http: 'raw `node:http`, keep-alive agent (token header)',
  token: 'ours, token',
  aksk: 'ours, AK/SK',
  sdk: 'official SDK, AK/SK',
  'token-fetch': 'ours, token, on `fetch`',
  'aksk-fetch': 'ours, AK/SK, on `fetch`',
  'token-bare': 'ours, token, no timeout, no validation',
  'aksk-bare': 'ours, AK/SK, no timeout, no validation',
};

// Issue 13's targets, evaluated per line. "No regression" of import cost and installed size is measured against the
// package of a git ref built in the same run (run.mjs --baseline main): the import within the noise of a spawn
// (median of the per-round differences ≤ 2 ms), the installed bytes not more than the baseline's.
const IMPORT_NOISE_MS = 2;

const ratio = (r) => (r ? fmt.ratio(r.median) : 'n/a');
const spread = (r) => (r ? `${fmt.ratio(r.median)} (IQR ${r.q1.toFixed(2)}–${r.q3.toFixed(2)})` : 'n/a');
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const mark = (met) => (met ? '✅' : '❌');
const signed = (v) => (v >= 0 ? `+${v.toFixed(1)}` : v.toFixed(1));

function targets(r, closures) {
  const { 1: c1, 32: c32 } = r.http;
  const cpu = [c1.token.cpuVsFetch, c1.aksk.cpuVsFetch, c32.token.cpuVsFetch, c32.aksk.cpuVsFetch];
  return [
    {
      name: 'ours (AK/SK) throughput ≥ 1.15× the official SDK, concurrency 1 and 32',
      text: `${spread(c1.aksk.rpsVsSdk)} · ${spread(c32.aksk.rpsVsSdk)}`,
      short: `${ratio(c1.aksk.rpsVsSdk)} / ${ratio(c32.aksk.rpsVsSdk)}`,
      met: c1.aksk.rpsVsSdk.median >= 1.15 && c32.aksk.rpsVsSdk.median >= 1.15,
    },
    {
      name: 'ours (token) throughput ≥ 1.2× the official SDK, concurrency 1 and 32',
      text: `${spread(c1.token.rpsVsSdk)} · ${spread(c32.token.rpsVsSdk)}`,
      short: `${ratio(c1.token.rpsVsSdk)} / ${ratio(c32.token.rpsVsSdk)}`,
      met: c1.token.rpsVsSdk.median >= 1.2 && c32.token.rpsVsSdk.median >= 1.2,
    },
    {
      name: 'client CPU per request ≤ 1.1× raw fetch’s (token and AK/SK, concurrency 1 and 32)',
      text: `token ${ratio(cpu[0])} · ${ratio(cpu[2])}; AK/SK ${ratio(cpu[1])} · ${ratio(cpu[3])}`,
      short: `${ratio(cpu[0])} / ${ratio(cpu[1])}`,
      met: cpu.every((c) => c.median <= 1.1),
    },
    {
      name: '`signRequest` ops/s ≥ the official `AKSKSigner.sign`',
      text: spread(r.sign.signRequest.vsOfficial),
      short: ratio(r.sign.signRequest.vsOfficial),
      met: r.sign.signRequest.vsOfficial.median >= 1,
    },
    {
      name: `import cost not above the baseline's${r.import.baseline ? ` (${r.import.baseline.ref})` : ''}: median difference ≤ ${IMPORT_NOISE_MS} ms`,
      text: r.import.baseline
        ? `${fmt.ms(r.import.ours.over)} vs ${fmt.ms(r.import.baseline.over)}: ${signed(r.import.baseline.oursMinusBaseline)} ms`
        : `${fmt.ms(r.import.ours.over)} (no baseline measured)`,
      short: r.import.baseline ? `${signed(r.import.baseline.oursMinusBaseline)} ms` : 'n/a',
      met: !!r.import.baseline && r.import.baseline.oursMinusBaseline <= IMPORT_NOISE_MS,
    },
    {
      name: `installed size not above the baseline's${closures?.baseline ? ` (${closures.baseline.ref})` : ''}`,
      text: closures?.baseline
        ? `${closures.ours.bytes.toLocaleString('en-US')} vs ${closures.baseline.bytes.toLocaleString('en-US')} bytes: ${signed((closures.ours.bytes - closures.baseline.bytes) / 1000)} KB`
        : 'no baseline measured',
      short: closures?.baseline ? `${signed((closures.ours.bytes - closures.baseline.bytes) / 1000)} KB` : 'n/a',
      met: !!closures?.baseline && closures.ours.bytes <= closures.baseline.bytes,
    },
  ];
}

// One table for both concurrencies: CPU per request against raw fetch's, throughput against the SDK's.
function httpTable(r) {
  const { 1: c1, 32: c32 } = r.http;
  const lines = [
    '| variant | c1 latency | c1 CPU / request (× fetch) | c1 requests/s (× SDK) | c32 CPU / request (× fetch) | c32 requests/s (× SDK) |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const name of Object.keys(c1)) {
    const a = c1[name];
    const b = c32[name];
    lines.push(
      `| ${labels[name] ?? name} | ${fmt.us(a.latencyUs)} | ${fmt.us(a.cpuUs)} (${ratio(a.cpuVsFetch)}) | ${fmt.rate(a.reqPerSec)} (${ratio(a.rpsVsSdk)}) | ` +
        `${fmt.us(b.cpuUs)} (${ratio(b.cpuVsFetch)}) | ${fmt.rate(b.reqPerSec)} (${ratio(b.rpsVsSdk)}) |`,
    );
  }
  return lines.join('\n');
}

function lineSection(r, closures) {
  const s = r.settings;
  const sign = r.sign;
  const parts = [
    `## Node ${r.node}`,
    '',
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.seconds} s, ${r.cpu}; load average ${load(r.load.start)} at the start, ` +
      `${load(r.load.end)} at the end.${r.quick ? ' **Quick run (--quick): too few rounds to rely on.**' : ''} ` +
      `Requests: ${s.rounds} rounds after a warm-up, ${s.requests[1]} requests at concurrency 1 and ${s.requests[32]} at 32 per variant and round.`,
    '',
    httpTable(r),
    '',
    `Signing (${s.signRounds} rounds of ${s.signOps}): \`signRequest(Request)\` ${fmt.rate(sign.signRequest.opsPerSec)} (${ratio(sign.signRequest.vsOfficial)}), ` +
      `\`signHeaders\` ${fmt.rate(sign.signHeaders.opsPerSec)} (${ratio(sign.signHeaders.vsOfficial)}), official \`AKSKSigner.sign\` ${fmt.rate(sign.official.opsPerSec)}. ` +
      `Cold import over bare \`node -e 0\` (${fmt.ms(r.import.bare.ms)}; median of ${s.importRounds}): ours ${fmt.ms(r.import.ours.over)}, ` +
      `official ${fmt.ms(r.import.sdk.over)}${r.import.baseline ? `, baseline ${fmt.ms(r.import.baseline.over)}` : ''}, an empty ES module ${fmt.ms(r.import.bareEsm.over)}.`,
  ];
  if (r.stub) {
    parts.push(
      '',
      `The client's own work (--diagnose; fetch replaced by a function returning a ready Response, ${s.stubRequests} calls a round):`,
      '',
      '| variant | CPU / call | × raw fetch |',
      '|---|--:|--:|',
      ...Object.entries(r.stub).map(([name, row]) => `| ${labels[name] ?? name} | ${fmt.us(row.cpuUs)} | ${ratio(row.cpuVsFetch)} |`),
    );
  }
  parts.push(
    '',
    '| target (IQR: spread of the per-round ratios) | measured | |',
    '|---|--:|---|',
    ...targets(r, closures).map((t) => `| ${t.name} | ${t.text} | ${t.met ? '✅' : '❌'} |`),
    '',
    `The server answered ${r.serverStats.token} token and ${r.serverStats.aksk} AK/SK requests (${r.serverStats.none} unauthenticated, ` +
      `${r.serverStats.notFound} not found).${r.sdkWroteHome ? ' The SDK wrote its `.huaweicloud/application_id` into a temporary HOME.' : ''}`,
  );
  return parts.join('\n');
}

function summary(results, closures) {
  const head = `| | ${results.map((r) => `Node ${r.node}`).join(' | ')} |`;
  const rule = `|---|${results.map(() => '--:').join('|')}|`;
  const row = (name, cell) => `| ${name} | ${results.map(cell).join(' | ')} |`;
  const t = (r) => targets(r, closures);
  const lines = [
    head,
    rule,
    row('ours AK/SK × SDK throughput, c1 / c32 (target ≥ 1.15×)', (r) => `${t(r)[0].short} ${mark(t(r)[0].met)}`),
    row('ours token × SDK throughput, c1 / c32 (target ≥ 1.2×)', (r) => `${t(r)[1].short} ${mark(t(r)[1].met)}`),
    row('raw fetch × SDK throughput, c1 / c32 (reference)', (r) => `${ratio(r.http[1].fetch.rpsVsSdk)} / ${ratio(r.http[32].fetch.rpsVsSdk)}`),
    row('client CPU per request × raw fetch, token / AK/SK, c1 (target ≤ 1.1×)', (r) => `${t(r)[2].short} ${mark(t(r)[2].met)}`),
    row('`signRequest` × `AKSKSigner.sign` (target ≥ 1×)', (r) => `${t(r)[3].short} ${mark(t(r)[3].met)}`),
    row('cold import over bare node, ours / SDK', (r) => `${fmt.ms(r.import.ours.over)} / ${fmt.ms(r.import.sdk.over)}`),
    row('cold import, ours − baseline (no regression: ≤ 2 ms)', (r) => `${t(r)[4].short} ${mark(t(r)[4].met)}`),
    row('installed closure, ours / SDK', () => (closures ? `${fmt.bytes(closures.ours.bytes)} / ${fmt.bytes(closures.sdk.bytes)}` : 'n/a')),
    row('installed size, ours − baseline (no regression: ≤ 0)', (r) => `${t(r)[5].short} ${mark(t(r)[5].met)}`),
    row('measured (UTC), load average at start', (r) => `${r.date.slice(0, 16).replace('T', ' ')}, ${r.load.start[0].toFixed(2)}${r.quick ? ' (quick)' : ''}`),
  ];
  return lines.join('\n');
}

/** Reads bench/results/, writes bench/results.md and (with `readme`) README.md's section; returns the report. */
export function writeReport({ root = join(here, '..'), readme = true, log = () => {} } = {}) {
  const dir = join(here, 'results');
  const results = readdirSync(dir)
    .filter((f) => /^node-\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .sort((a, b) => Number(a.line) - Number(b.line));
  const closures = existsSync(join(dir, 'closure.json')) ? JSON.parse(readFileSync(join(dir, 'closure.json'), 'utf8')) : undefined;
  const intro =
    'Written by `npm run bench` (bench/run.mjs; one Node line per run: `npm run bench -- --node 24`) from the figures in ' +
    '[results/](results/). Each variant runs in its own client process under the Node line measured, against one server ' +
    'on 127.0.0.1 (`PublishAssetFromObs`, the same body and the same 200 answer for every variant); the processes take ' +
    'turns, batch by batch. Medians over rounds; ratios are medians of the per-round ratios between variants that ran ' +
    'seconds apart. Client CPU: user + system time of the variant’s process per request. On a machine others share, ' +
    'compare only within one line’s run and look at the IQR before trusting a ✅ or ❌.';
  const closureText = closures
    ? [
        '## Installed runtime closure',
        '',
        `\`npm install --omit=dev\` into an empty project (measured ${closures.ours.measured.slice(0, 16).replace('T', ' ')} UTC); size = sum of the file sizes under its node_modules (on-disk blocks beside it).`,
        '',
        '| | packages | files | bytes | on disk |',
        '|---|--:|--:|--:|--:|',
        `| ours: the \`npm pack\` tarball (${fmt.bytes(closures.ours.tarball)}) | ${closures.ours.packages} | ${closures.ours.files} | ${closures.ours.bytes.toLocaleString('en-US')} | ${fmt.bytes(closures.ours.disk)} |`,
        ...(closures.baseline
          ? [`| baseline: ${closures.baseline.ref} packed the same way (${fmt.bytes(closures.baseline.tarball)}) | ${closures.baseline.packages} | ${closures.baseline.files} | ${closures.baseline.bytes.toLocaleString('en-US')} | ${fmt.bytes(closures.baseline.disk)} |`]
          : []),
        `| official: ${closures.sdkPackages.map((p) => `\`${p}\``).join(' + ')}${closures.sdk.cached ? ` (cached measurement of ${closures.sdk.measured.slice(0, 10)})` : ''} | ${closures.sdk.packages} | ${closures.sdk.files} | ${fmt.bytes(closures.sdk.bytes)} | ${fmt.bytes(closures.sdk.disk)} |`,
      ].join('\n')
    : '';
  const report = [
    '# Benchmarks',
    '',
    intro,
    '',
    summary(results, closures),
    '',
    ...results.map((r) => `${lineSection(r, closures)}\n`),
    closureText,
    '',
  ].join('\n');
  writeFileSync(join(here, 'results.md'), report);
  if (readme) {
    const readmePath = join(root, 'README.md');
    const text = readFileSync(readmePath, 'utf8');
    const start = '<!-- bench:start (generated by npm run bench; do not edit by hand) -->';
    const end = '<!-- bench:end -->';
    const block = `${start}\nOne run per Node line (\`npm run bench -- --node <line>\`), our client against the official SDK (\`@huaweicloud/huaweicloud-sdk-vod\`) on this machine:\n\n${summary(results, closures)}\n${end}`;
    const at = text.indexOf(start.slice(0, 17));
    const to = text.indexOf(end);
    const next =
      at >= 0 && to > at
        ? `${text.slice(0, at)}${block}${text.slice(to + end.length)}`
        : `${text.replace(/\s*$/, '\n')}\n## Benchmarks\n\n${block}\n`;
    writeFileSync(readmePath, next);
    log('README.md: Benchmarks section updated; full report in bench/results.md');
  }
  return report;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeReport({ readme: !process.argv.includes('--no-readme'), log: (m) => process.stderr.write(`${m}\n`) });
}
