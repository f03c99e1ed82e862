// npm run bench:budgets (and the first step of npm run bench): the size and import budgets of the packed package,
// measured as an application gets it. Builds and packs the package, installs the tarball into a fresh project, then:
//   1. bundles the README's two examples that follow `<!-- bundle-budget: job -->` and
//      `<!-- bundle-budget: one-operation -->` as they stand (esbuild, minified, ESM, gzip -9), and the same job
//      written with createVodClient (every operation), against their budgets;
//   2. times the cold import of the main entry on Node 24 (the pinned runtime of scripts/runtimes.mjs when it is
//      installed, else the current node): `node -e "await import(…)"` minus `node -e 0`, interleaved, median;
//   3. weighs the installed package (its whole folder in node_modules).
// Prints a table of figure, budget and verdict, writes bench/results/budgets.json, and puts the table into README.md
// between the budgets markers (unless --no-readme). Exits 1 when a budget is missed (--no-fail to only report).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const KB = 1000;

export const budgets = {
  job: 25 * KB, // the README's job in its smallest form
  oneOperationShare: 0.85, // the one-operation example, as a share of the job
  allOperations: 80 * KB, // the job with createVodClient: every operation in the bundle
  importMs: 20, // cold import of the main entry on Node 24
  installedBytes: 8 * 1000 * 1000, // the installed package, documents included
};

/**
 * The ```ts block that follows `<!-- bundle-budget: name -->` in the README.
 * @param {string} readme
 * @param {string} name
 * @returns {string}
 */
export function readmeExample(readme, name) {
  const marker = `<!-- bundle-budget: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at + marker.length));
  if (!block || readme.slice(at + marker.length, at + marker.length + block.index).trim() !== '') {
    throw new Error(`README.md: ${marker} must be followed directly by a \`\`\`ts block`);
  }
  return block[1] ?? '';
}

/** The job of the README's `job` example, written with createVodClient instead: what an app with every operation carries. */
const allOperationsApp = `import { createVodClient, failedAssetStatuses } from 'huaweicloud-vod-openapi';
const vod = createVodClient({ projectId: 'p', credentials: { ak: 'a', sk: 's' } });
const { data, error } = await vod.publishAssetFromObs({ video_type: 'MP4', title: 't', input: { bucket: 'b', location: 'cn-north-4', object: 'o.mp4' } });
if (error) throw new Error(error.error_msg);
const asset = await vod.waitForAsset(data.asset_id);
if (failedAssetStatuses.includes(asset.status)) await vod.deleteAssets({ asset_id: [asset.asset_id] });
`;

const du = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
};

function node24() {
  try {
    const bin = execFileSync(process.execPath, [join(root, 'scripts', 'runtimes.mjs'), '--lts'], { encoding: 'utf8' }).trim();
    const candidate = join(bin, 'node');
    if (existsSync(candidate)) {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
      if (version.startsWith('v24.')) return { bin: candidate, version };
    }
  } catch {
    // the runtime matrix is not installed
  }
  return { bin: process.execPath, version: `${process.version} (Node 24 is not installed: npm run runtimes)` };
}

/** Milliseconds of `node -e "<code>"`, run `rounds` times interleaved with `node -e 0`: median difference. */
function importCost(bin, cwd, rounds = 21) {
  const time = (code) => {
    const start = process.hrtime.bigint();
    const run = spawnSync(bin, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`import failed: ${run.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  time("await import('huaweicloud-vod-openapi')"); // warm the file cache
  const diffs = [];
  for (let i = 0; i < rounds; i++) {
    const bare = time('0');
    const loaded = time("await import('huaweicloud-vod-openapi')");
    diffs.push(loaded - bare);
  }
  diffs.sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)];
}

async function main() {
  const { build } = await import('esbuild');
  const scratch = mkdtempSync(join(tmpdir(), 'vod-budgets-'));
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
    const app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'budget-app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--omit=dev', join(scratch, tarball)], { cwd: app, stdio: 'inherit' });

    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const sources = { job: readmeExample(readme, 'job'), 'one-operation': readmeExample(readme, 'one-operation'), 'all-operations': allOperationsApp };
    const sizes = {};
    for (const [name, code] of Object.entries(sources)) {
      const entry = join(app, `${name}.ts`);
      writeFileSync(entry, code);
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'neutral',
        target: 'es2022',
        write: false,
        logLevel: 'error',
      });
      const bytes = result.outputFiles[0].contents;
      sizes[name] = { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    }
    const runtime = node24();
    const importMs = importCost(runtime.bin, app, args.includes('--quick') ? 7 : 21);
    const installed = du(join(app, 'node_modules', 'huaweicloud-vod-openapi'));

    const rows = [
      ['README job (createVodCore, 3 operations + waitForAsset), gzip', `${(sizes.job.gzip / KB).toFixed(1)} KB`, `≤ ${budgets.job / KB} KB`, sizes.job.gzip <= budgets.job],
      ['README one-operation example, gzip (share of the job)', `${(sizes['one-operation'].gzip / KB).toFixed(1)} KB (${Math.round((sizes['one-operation'].gzip / sizes.job.gzip) * 100)} %)`, `≤ ${budgets.oneOperationShare * 100} %`, sizes['one-operation'].gzip <= sizes.job.gzip * budgets.oneOperationShare],
      ['The job with createVodClient (every operation), gzip', `${(sizes['all-operations'].gzip / KB).toFixed(1)} KB`, `≤ ${budgets.allOperations / KB} KB`, sizes['all-operations'].gzip <= budgets.allOperations],
      [`Cold import of the main entry, ${runtime.version}`, `${importMs.toFixed(1)} ms`, `≤ ${budgets.importMs} ms`, importMs <= budgets.importMs],
      ['Installed package (code and shipped spec documents)', `${(installed / 1e6).toFixed(2)} MB`, `≤ ${budgets.installedBytes / 1e6} MB`, installed <= budgets.installedBytes],
    ];
    const table = [
      '| Budget | Measured | Target | |',
      '|---|--:|--:|---|',
      ...rows.map(([what, measured, target, ok]) => `| ${what} | ${measured} | ${target} | ${ok ? '✅' : '❌'} |`),
    ].join('\n');
    console.log(table);
    const results = { date: new Date().toISOString(), node: runtime.version, sizes, importMs, installed, budgets, passed: rows.every((r) => r[3]) };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'budgets.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (!args.includes('--no-readme')) {
      const start = '<!-- budgets:start (generated by npm run bench:budgets) -->';
      const end = '<!-- budgets:end -->';
      const a = readme.indexOf(start);
      const b = readme.indexOf(end);
      if (a >= 0 && b > a) {
        const measured = `Measured ${results.date.slice(0, 10)} by \`npm run bench:budgets\` on the packed package (esbuild, minified ESM, gzip -9).`;
        writeFileSync(join(root, 'README.md'), `${readme.slice(0, a + start.length)}\n${measured}\n\n${table}\n${readme.slice(b)}`);
      }
    }
    if (!results.passed && !args.includes('--no-fail')) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
