import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/spec.js';

const redocly = join(root, 'node_modules', '.bin', 'redocly');
const lint = (cwd: string) =>
  spawnSync(redocly, ['lint', 'spec/openapi.yaml', '--format=json'], {
    cwd,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    encoding: 'utf8',
  });
const ruleIds = (stdout: string): string[] =>
  (JSON.parse(stdout.slice(stdout.indexOf('{'))).problems as { ruleId: string }[]).map((p) => p.ruleId);

describe('redocly lint', () => {
  it('reports 0 problems on the spec', () => {
    const result = lint(root);
    expect(ruleIds(result.stdout)).toEqual([]);
    expect(result.status).toBe(0);
  });

  describe('house rules catch what they are for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vod-lint-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(root, 'spec'), join(dir, 'spec'), { recursive: true });
    cpSync(join(root, 'redocly'), join(dir, 'redocly'), { recursive: true });
    cpSync(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));
    const edit = (file: string, from: string | RegExp, to: string) => {
      const path = join(dir, 'spec', file);
      const text = readFileSync(path, 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit had no effect on ${file}`);
      writeFileSync(path, next);
    };
    edit('components/schemas/Review.yaml', 'additionalProperties: false', 'additionalProperties: true');
    edit('paths/asset_smart_cover.yaml', /\n {4}'429':\n.*/, '');
    edit('components/schemas/PublishAssetFromObsRequest.yaml', 'description: Output bucket', 'x-note: Output bucket');
    edit('components/schemas/PublishAssetFromObsRequest.yaml', '- template_group_name\n', '- template_group\n');
    edit('paths/asset_reproduction.yaml', "$ref: ../components/responses/InternalServerError.yaml", `description: Oops.
      content:
        application/json:
          schema:
            $ref: ../components/schemas/PublishAssetFromObsResponse.yaml`);
    edit('paths/asset.yaml', /\n  x-rate-limit:\n(    .*\n){3}/, '\n');
    edit('paths/asset_details.yaml', 'perTenantPerMinute: 1500', 'perTenantPerMinute: 15000');
    edit('paths/asset_info.yaml', '      explode: true\n', '');
    const found = lint(dir).stdout;
    const problems = (JSON.parse(found.slice(found.indexOf('{'))).problems as { ruleId: string; message: string }[]);

    it.each([
      ['house/closed-request-schemas', 'an open request schema'],
      ['rule/operation-shared-error-responses', 'a missing shared error response'],
      ['house/property-description', 'a property without description'],
      ['house/required-properties-declared', 'a then-required name that is not a property'],
      ['rule/error-response-schema', 'an error response with another schema'],
      ['no-invalid-media-type-examples', 'an example that no longer validates'],
      ['house/operation-rate-limit', 'an operation without x-rate-limit'],
      ['house/query-array-style', 'an array query parameter without explode'],
    ])('%s flags %s', (ruleId) => {
      expect(problems.map((p) => p.ruleId)).toContain(ruleId);
    });

    it('names the operation and the parameter at fault', () => {
      const messages = problems.map((p) => p.message);
      expect(messages).toContain('Operation DeleteAssets has no x-rate-limit.');
      expect(messages).toContain('Operation ShowAssetDetail has an x-rate-limit whose per-tenant limit exceeds the overall one.');
      expect(messages).toContain('Array query parameter "asset_id" must declare `explode` (how the service expects the array).');
    });
  });
});

