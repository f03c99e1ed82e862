// The docs' code samples stay valid: the curl command runs through bash (so its quoting is real shell quoting) and
// sends a body that the request schema accepts and that is one of the spec's examples; the TypeScript sample
// type-checks against the client in src/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  codeSamples,
  curlSample,
  defaultServerUrl,
  packageName,
  tsLiteral,
  typescriptSample,
} from '../../scripts/code-samples.mjs';
import { docsSpec } from '../../scripts/docs.mjs';
import { deref, operation, root, schemaAt, spec, specAjv, type Json } from '../helpers/spec.js';

const samples = codeSamples(spec);
const operationIds = ['PublishAssetFromObs', 'CreateSmartCover'];
function sample(operationId: string, label: string): string {
  const found = samples[operationId]?.find((s) => s.label === label);
  if (!found) throw new Error(`no ${label} sample for ${operationId}`);
  return found.source;
}

/** The arguments curl would get: bash runs the sample with a curl function that prints them NUL-separated. */
function curlArguments(source: string): string[] {
  const script = `curl() { printf '%s\\0' "$@"; }\n${source}`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], {
    env: { PATH: process.env.PATH, TOKEN: 'tok', PROJECT_ID: 'proj' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.toString('utf8').split('\0').slice(0, -1);
}

/** The value following `flag` in curl's arguments, for each time the flag occurs. */
const flagValues = (args: string[], flag: string) => args.flatMap((arg, i) => (arg === flag ? [args[i + 1]!] : []));

describe('curl samples', () => {
  const ajv = specAjv();

  it.each(operationIds)('%s: the request it sends is the operation with an example body', (operationId) => {
    const { path, op } = operation(operationId);
    const args = curlArguments(sample(operationId, 'curl'));

    expect(flagValues(args, '-X')).toEqual(['POST']);
    expect(args).toContain(`${defaultServerUrl(spec)}${path.replace('{project_id}', 'proj')}`);
    expect(defaultServerUrl(spec)).toBe('https://vod.cn-north-4.myhuaweicloud.com');
    expect(flagValues(args, '-H')).toEqual(['Content-Type: application/json', 'X-Auth-Token: tok']);

    const [data] = flagValues(args, '-d');
    const body = JSON.parse(data!);
    const media = op.requestBody.content['application/json'];
    const validate = schemaAt(ajv, media.schema.$ref);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    const examples = Object.values<Json>(media.examples).map((e) => deref(e).value);
    expect(examples).toContainEqual(body);
  });

  it('quotes any body for the shell: quotes, backslashes, $ and Chinese arrive unchanged', () => {
    const body = { title: `it's "新品" \\ $HOME $(id) \`id\``, tags: 'a,b' };
    const source = curlSample({ serverUrl: 'https://example.test', path: '/x', method: 'post', body, exampleTitle: 't' });
    expect(JSON.parse(flagValues(curlArguments(source), '-d')[0]!)).toEqual(body);
  });
});

describe('TypeScript samples', () => {
  it('write any JSON value as a literal that evaluates back to it', () => {
    const value = { 'x-key': [1, { a: `it's "新品" \\ \n \u2028` }], plain: null, list: ['a', 2, true] };
    expect(new Function(`return ${tsLiteral(value)};`)()).toEqual(value);
  });

  // Inside the repository, so that the samples see its node_modules (@types/node, openapi-fetch) and tsconfig.
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', 'code-samples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-check against src/ (and a sample with a wrong body does not)', () => {
    const files: Record<string, string> = Object.fromEntries(
      operationIds.map((id) => [`${id}.ts`, sample(id, 'TypeScript')]),
    );
    // The negative control: without it a broken setup (say, the import resolving to `any`) would pass everything.
    files['Broken.ts'] = typescriptSample({
      operationId: 'PublishAssetFromObs',
      deprecated: false,
      noContent: false,
      region: 'cn-north-4',
      exampleTitle: 'broken',
      body: { video_type: 'MP4', input: { bucket: 'b', location: 'cn-north-4', object: 'o' } }, // no title
    });
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    // The samples import the package by its published name; `paths` points that name at the sources.
    const tsconfig = {
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: true, paths: { [packageName]: ['../../src/index.ts'] } },
      files: Object.keys(files),
      include: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

    const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: root,
      encoding: 'utf8',
    });
    const errors = tsc.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors.filter((line) => !line.includes('Broken.ts'))).toEqual([]);
    expect(errors.join('\n')).toMatch(/Broken\.ts\(\d+,\d+\): error TS2345: Argument of type/);
    expect(tsc.stdout).toContain("Property 'title' is missing");
  });
});

describe('the docs-only spec', () => {
  it('carries exactly these samples on every operation, curl first', () => {
    const docs = docsSpec(spec);
    for (const id of operationIds) {
      const { path } = operation(id);
      expect(docs.paths[path].post['x-codeSamples']).toEqual(samples[id]);
      expect(samples[id]?.map((s) => s.label)).toEqual(['curl', 'TypeScript']);
    }
    // The source stays untouched: the samples exist only in the docs copy.
    expect(operation('PublishAssetFromObs').op['x-codeSamples']).toBeUndefined();
  });

  it('has the error-code table of generated/error-codes.md and every security scheme in its description', () => {
    const { description } = docsSpec(spec).info;
    const table = readFileSync(join(root, 'generated', 'error-codes.md'), 'utf8').replace(/^<!--.*-->\n\n/, '');
    expect(table).toMatch(/^\| Code \|/);
    expect(description).toContain(table.trim());
    for (const scheme of Object.values<Json>(spec.components.securitySchemes)) {
      expect(description).toContain(scheme.description.trim());
    }
    // Under the Authentication heading, before the error codes.
    const auth = description.indexOf('\n## Authentication\n');
    expect(auth).toBeGreaterThan(0);
    expect(description.indexOf('SDK-HMAC-SHA256')).toBeGreaterThan(auth);
    expect(description.indexOf('SDK-HMAC-SHA256')).toBeLessThan(description.indexOf('\n## Error codes\n'));
  });
});
