// Releases: one version for the package and the spec, and the CI step (scripts/release-check.mjs) that compares the
// spec with the last release tag and fails on a breaking change unless the version moved. The step runs here on a
// throwaway git repository holding this working tree's spec and scripts, tagged as a release, then changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';

const read = (path: string) => readFileSync(join(root, path), 'utf8');

it('package.json, spec/openapi.yaml and generated/openapi.json carry the same version, and the changelog has it', () => {
  const { version } = JSON.parse(read('package.json'));
  expect(parse(read('spec/openapi.yaml')).info.version).toBe(version);
  expect(JSON.parse(read('generated/openapi.json')).info.version).toBe(version);
  expect(read('CHANGELOG.md')).toMatch(new RegExp(`^## ${version.replaceAll('.', '\\.')}\\b`, 'm'));
});

// Each check runs redocly diff over the whole spec (83 operations), three of them in one test: seconds each on a busy machine.
describe('the release check (CI: node scripts/release-check.mjs)', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-release-'));
  const repo = join(dir, 'repo');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const specFile = join(repo, 'spec', 'openapi.yaml');
  let released = '';

  /** The CI step in `cwd`, as .ci/run runs it. */
  const check = (cwd = repo, env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, ['scripts/release-check.mjs'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: result.status, output: result.stdout + result.stderr };
  };
  const setVersion = (text: string, version: string) => text.replace(/^( {2}version: ).*$/m, `$1${version}`);
  const edit = (change: (spec: string) => string) => {
    const next = change(released);
    expect(next, 'the edit changed the spec').not.toBe(released);
    writeFileSync(specFile, next);
  };

  beforeAll(() => {
    for (const path of ['spec', 'generated/openapi.json', 'scripts', 'redocly', 'redocly.yaml', 'package.json']) {
      cpSync(join(root, path), join(repo, path), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'), 'dir');
    // Released as 0.5.0: the spec and its bundle say so, and so does the tag.
    released = setVersion(readFileSync(specFile, 'utf8'), '0.5.0');
    writeFileSync(specFile, released);
    const bundle = JSON.parse(readFileSync(join(repo, 'generated', 'openapi.json'), 'utf8'));
    writeFileSync(join(repo, 'generated', 'openapi.json'), JSON.stringify({ ...bundle, info: { ...bundle.info, version: '0.5.0' } }, null, 2));
    git(repo, 'init', '--quiet');
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
    git(repo, 'add', '.');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'release');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', 'v0.5.0', '-m', 'v0.5.0');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // PublishAssetFromObs: removing the deprecated CreateSmartCover would not count as breaking.
  const removeOperation = (spec: string) => spec.replace(/^ {2}\/v1\.0\/\{project_id\}\/asset\/reproduction:\n {4}\$ref: .*\n/m, '');

  it('passes when nothing changed since the tag', () => {
    writeFileSync(specFile, released);
    const { status, output } = check();
    expect(status, output).toBe(0);
    expect(output).toContain('v0.5.0:generated/openapi.json (0.5.0) → spec/openapi.yaml (0.5.0): 0 breaking, 0 minor, 0 patch changes');
  });

  it('fails on a breaking change (an operation removed) while the version stays', () => {
    edit(removeOperation);
    const { status, output } = check();
    expect(status, output).toBe(1);
    expect(output).toContain('breaking: Path `/v1.0/{project_id}/asset/reproduction` was removed.');
    expect(output).toContain('release check: FAILED');
  });

  it('fails on a breaking change with a patch or minor bump (0.x too), passes once the major moves', () => {
    edit((spec) => setVersion(removeOperation(spec), '0.5.1'));
    expect(check().status).toBe(1);
    edit((spec) => setVersion(removeOperation(spec), '0.6.0'));
    const minor = check();
    expect(minor.status, minor.output).toBe(1);
    expect(minor.output).toContain('info.version 0.5.0 → 0.6.0: breaking changes need the major version to move (to 1.0.0)');
    edit((spec) => setVersion(removeOperation(spec), '1.0.0'));
    const { status, output } = check();
    expect(status, output).toBe(0);
    expect(output).toContain("info.version's major moved (0.5.0 → 1.0.0): breaking changes are allowed");
  });

  it('passes a change that breaks no client (an operation added), saying which bump its release needs', () => {
    edit((spec) =>
      spec.replace(
        /^( {2}\/v1\.0\/\{project_id\}\/asset\/smart_cover:\n {4}\$ref: (.*)\n)/m,
        '$1  /v1.0/{project_id}/asset/smart_cover_copy:\n    $ref: $2\n',
      ),
    );
    const { status, output } = check();
    expect(status, output).toBe(0);
    expect(output).toContain('nothing breaks clients (a release of these needs a minor bump at least)');
  });

  it('passes before the first release (no tag), and fails in a shallow clone that lacks the tags', () => {
    writeFileSync(specFile, released);
    const untagged = join(dir, 'untagged');
    git(dir, 'clone', '--quiet', '--no-tags', repo, untagged);
    symlinkSync(join(root, 'node_modules'), join(untagged, 'node_modules'), 'dir');
    const first = check(untagged);
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain('skipped, no release tag');

    const shallow = join(dir, 'shallow');
    git(dir, 'clone', '--quiet', '--depth', '1', '--no-tags', `file://${repo}`, shallow);
    symlinkSync(join(root, 'node_modules'), join(shallow, 'node_modules'), 'dir');
    const result = check(shallow);
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain('shallow clone without release tags');
  });

  it('without tags (a clone of the branch, as CI makes), compares with the release that release-tags.json records', () => {
    writeFileSync(specFile, released);
    const recorded = join(dir, 'recorded');
    git(dir, 'clone', '--quiet', '--no-tags', repo, recorded);
    symlinkSync(join(root, 'node_modules'), join(recorded, 'node_modules'), 'dir');
    writeFileSync(join(recorded, 'release-tags.json'), JSON.stringify({ 'v0.5.0': git(recorded, 'rev-parse', 'HEAD') }));
    const same = check(recorded);
    expect(same.status, same.output).toBe(0);
    expect(same.output).toContain('v0.5.0:generated/openapi.json (0.5.0) → spec/openapi.yaml (0.5.0): 0 breaking');
    writeFileSync(join(recorded, 'spec', 'openapi.yaml'), removeOperation(released));
    const broken = check(recorded);
    expect(broken.status, broken.output).toBe(1);
    expect(broken.output).toContain('breaking: Path `/v1.0/{project_id}/asset/reproduction` was removed.');
  });
});
