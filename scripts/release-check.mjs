// node scripts/release-check.mjs [--base <file>] [--revision <file>]: fails when the spec breaks clients without
// moving its major version. Compares the spec (spec/openapi.yaml) with the bundle shipped by the last release tag
// (v<semver> reachable from HEAD, its generated/openapi.json) using `redocly diff`:
//   - changes that need a major bump (breaking) fail unless info.version moved enough, judged by redocly's own
//     `--check-version` rule. For 0.x versions that rule (like npm's ^0.y.z ranges) counts a minor bump as the
//     breaking one: ^0.1.0 never installs 0.2.0, so 0.1.0 → 0.2.0 protects users as 1.x → 2.0.0 does.
//   - other changes pass; the report says which bump the next release needs.
// With no release tag yet (before the first release) there is nothing to compare and the check passes; a shallow
// clone without tags fails instead, since there the tag is only missing from the clone.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './paths.mjs';

const redocly = join(root, 'node_modules', '.bin', 'redocly');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' };

const git = (...args) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The last release tag reachable from HEAD, or a reason why there is none to compare against. */
export function lastReleaseTag() {
  try {
    git('rev-parse', '--git-dir');
  } catch {
    return { reason: 'not a git checkout' };
  }
  try {
    return { tag: git('describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*.[0-9]*.[0-9]*', 'HEAD') };
  } catch {
    if (git('rev-parse', '--is-shallow-repository') === 'true') {
      return { reason: 'shallow clone without release tags (git fetch --tags --unshallow)', fatal: true };
    }
    return { reason: 'no release tag (v<major>.<minor>.<patch>) yet: this is the first release' };
  }
}

/** `redocly diff` of two descriptions, as its JSON report, plus its human-readable version check. */
function diff(base, revision) {
  const args = ['diff', base, revision, '--fail-on', 'none'];
  const json = spawnSync(redocly, [...args, '--format', 'json'], { cwd: root, env, encoding: 'utf8' });
  if (json.status !== 0) throw new Error(`redocly diff failed (${json.status}):\n${json.stdout}${json.stderr}`);
  return JSON.parse(json.stdout);
}

function checkVersion(base, revision) {
  const run = spawnSync(redocly, ['diff', base, revision, '--fail-on', 'none', '--check-version'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  return { ok: run.status === 0, output: run.stdout.trim() };
}

/**
 * @param {{ base: string, revision: string, label?: string, revisionLabel?: string }} options files redocly can read
 * @returns {{ ok: boolean, bump: string, report: string }}
 */
export function releaseCheck({ base, revision, label = base, revisionLabel = revision }) {
  const report = diff(base, revision);
  const { summary, infoVersions } = report;
  const bump = summary.major ? 'major' : summary.minor ? 'minor' : summary.patch ? 'patch' : 'none';
  const breaking = report.changes.flatMap((c) => c.verdicts.filter((v) => v.impact === 'major').map((v) => v.message));
  const head = `${label} (${infoVersions.base}) → ${revisionLabel} (${infoVersions.revision}): ${summary.major} breaking, ${summary.minor} minor, ${summary.patch} patch changes`;
  if (bump !== 'major') {
    return { ok: true, bump, report: `${head}; nothing breaks clients${bump === 'none' ? '' : ` (a release of these needs a ${bump} bump at least)`}` };
  }
  const version = checkVersion(base, revision);
  const lines = [head, ...breaking.map((m) => `  breaking: ${m}`)];
  if (version.ok) lines.push(`info.version moved from ${infoVersions.base} to ${infoVersions.revision}, enough for breaking changes`);
  else lines.push(version.output.split('\n').filter((l) => l.includes('info.version')).join('\n') || version.output);
  return { ok: version.ok, bump, report: lines.join('\n') };
}

function main() {
  const argv = process.argv.slice(2);
  const option = (name) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  let base = option('--base');
  let label = base;
  const dir = mkdtempSync(join(tmpdir(), 'vod-release-check-'));
  try {
    let revision = option('--revision');
    if (!revision) {
      // Bundled like the release's generated/openapi.json: diffing the multi-file source would report every
      // $ref'd component as removed.
      revision = join(dir, 'openapi.json');
      execFileSync(redocly, ['bundle', join(root, 'spec', 'openapi.yaml'), '-o', revision], { cwd: root, env, stdio: 'ignore' });
    }
    if (!base) {
      const found = lastReleaseTag();
      if (!found.tag) {
        if (found.fatal || (process.env.CI === 'true' && found.reason === 'not a git checkout')) {
          console.error(`release check: ${found.reason}`);
          process.exitCode = 1;
          return;
        }
        console.log(`release check: skipped, ${found.reason}`);
        return;
      }
      const spec = JSON.parse(git('show', `${found.tag}:generated/openapi.json`));
      // info.version follows the package version from 0.2.0 on; v0.1.0's spec still carried the starter template's
      // 1.0.0, so a release's spec is compared under the version its tag gives it.
      const tagVersion = found.tag.slice(1);
      if (spec.info.version !== tagVersion) {
        console.log(`release check: ${found.tag}'s spec says info.version ${spec.info.version}; compared as ${tagVersion}, the tag's version`);
        spec.info.version = tagVersion;
      }
      base = join(dir, `openapi-${found.tag}.json`);
      label = `${found.tag}:generated/openapi.json`;
      writeFileSync(base, JSON.stringify(spec, null, 2));
    }
    const { ok, report } = releaseCheck({ base, revision, label, revisionLabel: option('--revision') ?? 'spec/openapi.yaml' });
    console.log(`release check: ${report}`);
    if (!ok) {
      console.error('release check: FAILED: breaking changes need a major version (0.x: minor) in spec/openapi.yaml and package.json');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
