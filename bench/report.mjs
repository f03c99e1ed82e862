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

// Issue 13's targets, evaluated per line. Before this issue (issue 6, Node 20): import 10.8 ms, closure 219,576 bytes.
const BEFORE = { importMs: 10.8, closureBytes: 219_576 };
const IMPORT_BUDGET_MS = 20;
const CLOSURE_BUDGET = 300_000;

const ratio = (r) => (r ? fmt.ratio(r.median) : 'n/a');
const spread = (r) => (r ? `${fmt.ratio(r.median)} (IQR ${r.q1.toFixed(2)}–${r.q3.toFixed(2)})` : 'n/a');
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const mark = (met) => (met ? '✅' : '❌');

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
      name: `import cost ≤ ${IMPORT_BUDGET_MS} ms over bare node (before this issue: ${BEFORE.importMs} ms on Node 20)`,
      text: fmt.ms(r.import.ours.over),
      short: fmt.ms(r.import.ours.over),
      met: r.import.ours.over <= IMPORT_BUDGET_MS,
    },
    {
      name: `installed closure ≤ 300 KB (before this issue: ${BEFORE.closureBytes.toLocaleString('en-US')} bytes)`,
      text: closures ? `${closures.ours.bytes.toLocaleString('en-US')} bytes` : 'n/a',
      short: closures ? fmt.bytes(closures.ours.bytes) : 'n/a',
      met: closures ? closures.ours.bytes <= CLOSURE_BUDGET : false,
    },
  ];
}

function httpTable(r, c) {
  const rows = r.http[c];
  const lines = [
    `| concurrency ${c} | latency (median) | × fetch | client CPU / request | × fetch | throughput | × fetch | × SDK |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [name, row] of Object.entries(rows)) {
    lines.push(
      `| ${labels[name] ?? name} | ${fmt.us(row.latencyUs)} | ${ratio(row.latencyVsFetch)} | ${fmt.us(row.cpuUs)} | ` +
        `${ratio(row.cpuVsFetch)} | ${fmt.rate(row.reqPerSec)} | ${ratio(row.rpsVsFetch)} | ${ratio(row.rpsVsSdk)} |`,
    );
  }
  return lines.join('\n');
}

function lineSection(r, closures) {
  const s = r.settings;
  const parts = [
    `## Node ${r.node}`,
    '',
    `Measured on ${r.date.slice(0, 16).replace('T', ' ')} UTC in ${r.seconds} s: ${r.cpu}; load average ${load(r.load.start)} at the start, ` +
      `${load(r.load.end)} at the end.${r.quick ? ' **Quick run (--quick): too few rounds to rely on.**' : ''}`,
    '',
    `**Requests**: ${s.rounds} interleaved rounds after a warm-up; each round sends ${s.requests[1]} requests at concurrency 1 and ` +
      `${s.requests[32]} at 32 per variant. Our client runs with its defaults (body validation on, 30 s timeout) on its default ` +
      'transport (`node:http` with a keep-alive agent on Node).',
    '',
    httpTable(r, 1),
    '',
    httpTable(r, 32),
    '',
    `**Signing** the same request, ${s.signRounds} interleaved rounds of ${s.signOps} after 3 warm-up rounds.`,
    '',
    '| signer | operations / s (median) | × official |',
    '|---|--:|--:|',
    `| ours, \`signRequest(Request)\` | ${fmt.rate(r.sign.signRequest.opsPerSec)} | ${ratio(r.sign.signRequest.vsOfficial)} |`,
    `| ours, \`signHeaders({ method, url, headers, body })\` | ${fmt.rate(r.sign.signHeaders.opsPerSec)} | ${ratio(r.sign.signHeaders.vsOfficial)} |`,
    `| official \`AKSKSigner.sign\` | ${fmt.rate(r.sign.official.opsPerSec)} | 1.00× |`,
    '',
    `**Cold import**, median of ${s.importRounds} interleaved spawns each; cost = median of the per-round differences to bare \`node -e 0\` (${fmt.ms(r.import.bare.ms)}).`,
    '',
    '| | process (median) | cost over bare node |',
    '|---|--:|--:|',
    `| ours: \`await import('…/dist/package/src/index.js')\` | ${fmt.ms(r.import.ours.ms)} | ${fmt.ms(r.import.ours.over)} |`,
    `| official: \`require('@huaweicloud/huaweicloud-sdk-vod')\` | ${fmt.ms(r.import.sdk.ms)} | ${fmt.ms(r.import.sdk.over)} |`,
    `| for reference: \`node --input-type=module -e 0\` | ${fmt.ms(r.import.bareEsm.ms)} | ${fmt.ms(r.import.bareEsm.over)} |`,
  ];
  if (r.stub) {
    parts.push(
      '',
      `**The client's own work** (--diagnose): fetch replaced by a function returning a ready Response, ${s.stubRequests} calls per round at concurrency 1.`,
      '',
      '| variant | latency | client CPU / call | × raw fetch |',
      '|---|--:|--:|--:|',
      ...Object.entries(r.stub).map(
        ([name, row]) => `| ${labels[name] ?? name} | ${fmt.us(row.latencyUs)} | ${fmt.us(row.cpuUs)} | ${ratio(row.cpuVsFetch)} |`,
      ),
    );
  }
  parts.push(
    '',
    '**Targets** (IQR: spread of the per-round ratios)',
    '',
    '| target | measured | |',
    '|---|--:|---|',
    ...targets(r, closures).map((t) => `| ${t.name} | ${t.text} | ${t.met ? '✅ met' : '❌ not met'} |`),
    '',
    `Raw fetch is ${ratio(r.http[1].fetch.rpsVsSdk)} the SDK's throughput at concurrency 1 and ${ratio(r.http[32].fetch.rpsVsSdk)} at 32; ` +
      `raw node:http ${ratio(r.http[1].http?.rpsVsSdk)} and ${ratio(r.http[32].http?.rpsVsSdk)}. The server answered ${r.serverStats.token} token and ` +
      `${r.serverStats.aksk} AK/SK requests (${r.serverStats.none} unauthenticated, ${r.serverStats.notFound} not found).` +
      (r.sdkWroteHome ? ' The SDK wrote its `.huaweicloud/application_id` into a temporary HOME.' : ''),
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
    row('cold import over bare node, ours / SDK', (r) => `${fmt.ms(r.import.ours.over)} / ${fmt.ms(r.import.sdk.over)} ${mark(t(r)[4].met)}`),
    row(
      'installed closure, ours / SDK',
      () => (closures ? `${fmt.bytes(closures.ours.bytes)} / ${fmt.bytes(closures.sdk.bytes)} ${mark(closures.ours.bytes <= CLOSURE_BUDGET)}` : 'n/a'),
    ),
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
    const block = `${start}\nOur client against the official SDK (\`@huaweicloud/huaweicloud-sdk-vod\`) on this machine, one run per Node line; the full tables are in [bench/results.md](bench/results.md).\n\n${summary(results, closures)}\n${end}`;
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
