// node scripts/release-check.mjs [--base <file>] [--revision <file>]: fails when the spec breaks clients without
// moving its major version. Compares the spec (spec/openapi.yaml, bundled) with the bundle shipped by the last
// release (its generated/openapi.json) using `redocly diff`. The last release is the newer of the last tag
// v<semver> reachable from HEAD and the last entry of release-tags.json (release → commit, committed with each
// release, since a clone of the branch may come without tags) whose commit is in this history:
//   - a change that redocly rates major (breaking: an operation, field or enum value removed, a field made
//     required …) fails unless info.version's major moved (0.x → 1.0.0, 1.x → 2.0.0). That is stricter than
//     `redocly diff --check-version`, which lets 0.x move by a minor step: here even a 0.x release that breaks
//     clients must say so in its major.
//   - other changes pass; the report says which bump their release needs.
// With no release yet (before the first one) there is nothing to compare and the check passes; a shallow clone
// without tags or recorded releases fails instead, since there they are only missing from the clone.
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
  // Tags do not travel with every push or clone (CI clones the branch): release-tags.json, committed with each
  // release, names each release's commit. The baseline is the newer of the last tag and the last recorded release
  // that are in this history.
  const recorded = recordedRelease();
  try {
    const tag = git('describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*.[0-9]*.[0-9]*', 'HEAD');
    return recorded && newer(recorded.tag, tag) ? recorded : { tag, ref: tag };
  } catch {
    if (recorded) return recorded;
    if (git('rev-parse', '--is-shallow-repository') === 'true') {
      return { reason: 'shallow clone without release tags (git fetch --tags --unshallow)', fatal: true };
    }
    return { reason: 'no release tag (v<major>.<minor>.<patch>) yet: this is the first release' };
  }
}

/** Whether tag `a` (v<major>.<minor>.<patch>) names a later version than tag `b`. */
function newer(a, b) {
  const parts = (tag) => tag.slice(1).split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

/** The newest release of release-tags.json whose commit is an ancestor of HEAD, as { tag, ref }. */
function recordedRelease() {
  let releases;
  try {
    releases = JSON.parse(readFileSync(join(root, 'release-tags.json'), 'utf8'));
  } catch {
    return undefined;
  }
  for (const [tag, commit] of Object.entries(releases).reverse()) {
    try {
      git('merge-base', '--is-ancestor', commit, 'HEAD');
      return { tag, ref: commit };
    } catch {
      // not in this history (or a shallow clone): try an older one
    }
  }
  return undefined;
}

// The rules that rate each change. Not redocly.yaml: a config that `extends` anything but `diff-recommended` (ours
// extends recommended-strict for lint) has no diff rules, and every change, a removed operation included, then
// rates as a patch.
const diffConfig = 'extends:\n  - diff-recommended\n';

/** `redocly diff` of two descriptions, as its JSON report. */
function diff(base, revision, config) {
  const args = ['diff', base, revision, '--config', config, '--fail-on', 'none', '--format', 'json'];
  const run = spawnSync(redocly, args, { cwd: root, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`redocly diff failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The major version of a semver string, or NaN. */
const major = (version) => Number(/^(\d+)\.\d+\.\d+/.exec(String(version))?.[1] ?? NaN);

/**
 * @param {{ base: string, revision: string, label?: string, revisionLabel?: string }} options files redocly can read
 * @returns {{ ok: boolean, bump: string, report: string }}
 */
export function releaseCheck({ base, revision, label = base, revisionLabel = revision }) {
  const dir = mkdtempSync(join(tmpdir(), 'vod-diff-config-'));
  try {
    const config = join(dir, 'redocly.yaml');
    writeFileSync(config, diffConfig);
    return judge({ base, revision, label, revisionLabel, config });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function judge({ base, revision, label, revisionLabel, config }) {
  const report = diff(base, revision, config);
  const { summary, infoVersions } = report;
  const bump = summary.major ? 'major' : summary.minor ? 'minor' : summary.patch ? 'patch' : 'none';
  const breaking = report.changes.flatMap((c) => c.verdicts.filter((v) => v.impact === 'major').map((v) => v.message));
  const head = `${label} (${infoVersions.base}) → ${revisionLabel} (${infoVersions.revision}): ${summary.major} breaking, ${summary.minor} minor, ${summary.patch} patch changes`;
  if (bump !== 'major') {
    return { ok: true, bump, report: `${head}; nothing breaks clients${bump === 'none' ? '' : ` (a release of these needs a ${bump} bump at least)`}` };
  }
  const moved = major(infoVersions.revision) > major(infoVersions.base);
  const lines = [head, ...breaking.map((m) => `  breaking: ${m}`)];
  lines.push(
    moved
      ? `info.version's major moved (${infoVersions.base} → ${infoVersions.revision}): breaking changes are allowed`
      : `info.version ${infoVersions.base} → ${infoVersions.revision}: breaking changes need the major version to move (to ${major(infoVersions.base) + 1}.0.0)`,
  );
  return { ok: moved, bump, report: lines.join('\n') };
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
      const spec = JSON.parse(git('show', `${found.ref}:generated/openapi.json`));
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
      console.error('release check: FAILED: a breaking change needs a new major version in spec/openapi.yaml and package.json (and a CHANGELOG entry)');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
