// Pinning a release when installing from git: the repository carries no git tags (a clone of the branch has none;
// the releases are recorded in release-tags.json), so the README's install instructions must pin by commit, and every
// commit they or release-tags.json name must be one a clone of the branch has: in the history of HEAD, holding the
// release's version. (test/package/install.test.ts installs from a git URL at HEAD; the resolution of `#<commit>` is
// npm's own.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
let checkout = true;
try {
  git('rev-parse', 'HEAD');
} catch {
  if (process.env.CI === 'true') throw new Error('CI must run test/package/pinning.test.ts from a git checkout');
  console.warn('test/package/pinning.test.ts skipped: not a git checkout');
  checkout = false;
}

const releases = JSON.parse(readFileSync(join(root, 'release-tags.json'), 'utf8')) as Record<string, string>;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1));

describe.skipIf(!checkout)('pinning a release', () => {
  it('every release in release-tags.json is a commit in the history of HEAD, with that version in its package.json', () => {
    expect(Object.keys(releases).length).toBeGreaterThan(0);
    for (const [tag, commit] of Object.entries(releases)) {
      expect(commit, tag).toMatch(/^[0-9a-f]{40}$/);
      // Exit code 0: an ancestor, so every clone of the branch has it (and npm can check it out).
      expect(() => git('merge-base', '--is-ancestor', commit, 'HEAD'), `${tag} ${commit} is not in the history of HEAD`).not.toThrow();
      const pkg = JSON.parse(git('show', `${commit}:package.json`)) as { version: string };
      expect(`v${pkg.version}`, `${tag} ${commit}`).toBe(tag);
    }
  });

  it('the README pins by the commit of a release, never by a tag', () => {
    expect(install).toContain('release-tags.json');
    expect(install).toContain('#<commit>');
    // No instruction to append a tag (the one mention of #v… is the failure it warns about).
    expect(install).not.toMatch(/#<tag/);
    for (const [, ref] of install.matchAll(/\.git#([^\s'`"]+)/g)) {
      expect(Object.values(releases), `README install pins #${ref}`).toContain(ref);
    }
    expect([...install.matchAll(/\.git#/g)].length).toBeGreaterThan(0);
    for (const [, tag] of install.matchAll(/`#(v\d[^`]*)`/g)) {
      expect(install, `#${tag} is mentioned only as what fails`).toMatch(new RegExp(`\`#${tag!.replaceAll('.', '\\.')}\` fails`));
    }
    // The commit the README names for a release is the one release-tags.json records.
    for (const [, tag, commit] of install.matchAll(/(v\d+\.\d+\.\d+) is\s+`([0-9a-f]{40})`/g)) expect(releases[tag!], tag).toBe(commit);
  });
});
