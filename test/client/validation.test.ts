// The client's validation before sending: every documented rule of every body and query, byte limits included, and
// nothing reaches the server when a body or a query is rejected. The cases are the ones the spec suite proves on Ajv
// and Prism (test/cases), sent through the method of their operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVodClient, validateRequestBody, VodValidationError } from '../../src/index.js';
import { allBodyCases, minimalPublish } from '../cases/request-bodies.js';
import { queryCases } from '../cases/query-cases.js';
import { json, startServer } from '../helpers/server.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((req, res) =>
    req.path.endsWith('/smart_cover') ? res.writeHead(204).end() : json(res, 200, { asset_id: 'f488337c31c8e4622f1590735b134c65' }),
  );
});
afterAll(() => server.close());

const client = () => createVodClient({ projectId: 'p', endpoint: server.url, credentials: { token: 'token' } });
const call = (operation: string, input: unknown) => {
  const method = (operation[0]!.toLowerCase() + operation.slice(1)) as keyof ReturnType<typeof client>;
  return (client()[method] as (input: unknown) => Promise<{ response: Response }>)(input);
};

interface ValidationCase {
  operation: string;
  name: string;
  rule: string;
  input: unknown;
  valid: boolean;
  field?: string | undefined;
  whole: '(body)' | '(query)';
}
const cases: ValidationCase[] = [
  ...allBodyCases.map((c) => ({ ...c, input: c.body, whole: '(body)' as const })),
  ...queryCases.map((c) => ({ ...c, input: c.query, whole: '(query)' as const })),
];

describe('client validation', () => {
  it('covers every operation that has a body or a query', () => {
    expect(new Set(cases.map((c) => c.operation)).size).toBe(8);
  });

  it.each(cases.map((c) => [`${c.operation}: ${c.name} → ${c.valid ? 'sent' : 'rejected'} (${c.rule})`, c] as const))(
    '%s',
    async (_, c) => {
      const before = server.requests.length;
      if (c.valid) {
        const { response } = await call(c.operation, c.input);
        expect(response.ok).toBe(true);
        expect(server.requests.length).toBe(before + 1);
        const sent = server.requests.at(-1)!;
        if (c.whole === '(body)') expect(JSON.parse(sent.body.toString('utf8'))).toEqual(c.input);
        return;
      }
      const error = await call(c.operation, c.input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VodValidationError);
      const { issues, message } = error as VodValidationError;
      const field = !c.field ? c.whole : c.field;
      expect(issues.map((i) => i.path), message).toContain(field);
      expect(message).toContain(`${field}: `);
      expect(server.requests.length, 'a rejected request must not reach the server').toBe(before);
    },
  );

  it('names the field and the rule in words', () => {
    const issues = (body: unknown) => validateRequestBody('PublishAssetFromObs', body).map((i) => `${i.path}: ${i.rule}`);
    expect(issues({ ...minimalPublish, title: '视'.repeat(43) })).toEqual(['title: exceeds 128 UTF-8 bytes']);
    expect(issues({ ...minimalPublish, storage_mode: 1 })).toEqual(['output_bucket: is required', 'output_path: is required']);
    expect(issues({ ...minimalPublish, tags: Array(17).fill('t').join(',') })).toEqual([
      'tags: has more than 16 items separated by ","',
    ]);
    expect(issues({ ...minimalPublish, tags: '视频点播服务,b' })).toEqual(['tags: has an item over 16 UTF-8 bytes']);
    expect(issues({ ...minimalPublish, auto_publish: true })).toEqual(['auto_publish: must be an integer', 'auto_publish: must be one of 0, 1']);
    expect(issues({ ...minimalPublish, thumbnail: { type: 'time', time: 13 } })).toEqual(['thumbnail.time: must be <= 12']);
    expect(issues({ ...minimalPublish, extra: 1 })).toEqual(['extra: is not a known field']);
  });

  it('can be turned off, and then sends what it is given', async () => {
    const vod = createVodClient({ projectId: 'p', endpoint: server.url, credentials: { token: 't' }, validate: false });
    const before = server.requests.length;
    await vod.publishAssetFromObs({ ...minimalPublish, storage_mode: 1 });
    expect(server.requests.length).toBe(before + 1);
  });
});
