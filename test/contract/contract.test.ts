// The contract suite: does an implementation of PublishAssetFromObs and CreateSmartCover answer the way
// generated/openapi.json says? By default against a Prism mock that it starts itself; with VOD_BASE_URL against any
// implementation (see target.ts and README.md next to this file). Every response is judged on the raw bytes the
// target sent, and every failure names the broken rule with the request and the response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyCases, minimalPublish, type BodyCase } from '../cases/request-bodies.js';
import { errorCode, refusalStatuses, responseViolations, type Operation } from './conformance.js';
import { describeExchange, send, sendPlain, type Exchange } from './exchange.js';
import { targetFromEnv, UNAUTHENTICATED_WRITES_REASON, WRITES_REASON } from './target.js';

const target = targetFromEnv();

beforeAll(() => target.start());
afterAll(() => target.stop());

const message = (rule: string, x: Exchange, detail?: string) =>
  `rule: ${rule}${detail ? ` (${detail})` : ''}; ${describeExchange(target, x)}`;

/** The target answered, with a declared status, and the body, content type and headers that status declares. */
function expectConforming(x: Exchange) {
  expect(x.status, message('the target answers every request with an HTTP response', x)).toBeGreaterThan(0);
  const violations = responseViolations(x.operation, x);
  const rules = violations.map((v) => `rule: ${v.rule} (${v.detail})`).join('; ');
  expect(violations.length, `${rules}; ${describeExchange(target, x)}`).toBe(0);
}

/** it(), or it.skip() with the reason in the test's name so that the report says why. */
const test = (name: string, skipReason: string | false, fn: () => Promise<void>) =>
  skipReason ? it.skip(`${name} [skipped: ${skipReason}]`, fn) : it(name, fn);

const BYTES_REASON = 'breaks a UTF-8 byte limit only, which JSON Schema and so Prism cannot see; enforced on real targets';
const MALFORMED_REASON = "Prism answers malformed JSON with its own {error:{code:'invalid_json'}} body, not an ErrorResponse";

const validRule = {
  PublishAssetFromObs: 'a valid PublishAssetFromObs request succeeds with 200 and a PublishAssetFromObsResponse',
  CreateSmartCover:
    'a valid CreateSmartCover request answers 204 with an empty body, or a declared 4xx VOD.10062 for an asset the target does not know',
} as const;
const rejectRule = (op: Operation, rule: string) =>
  `an invalid request is rejected with a declared 4xx (${refusalStatuses(op).join(' or ')}) and an ErrorResponse: ${rule}`;
const NO_AUTH_RULE = 'a request without credentials is rejected with 401 and an ErrorResponse';
const HALF_AKSK_RULE = 'AK/SK needs both Authorization and X-Sdk-Date: a request with only one of them is rejected with 401';

async function expectAccepted(op: Operation, c: BodyCase) {
  const x = await send(target, op, c.body);
  expectConforming(x);
  if (op === 'PublishAssetFromObs') {
    expect(x.status, message(`${validRule[op]}: ${c.rule} [${c.name}]`, x)).toBe(200);
  } else if (x.status !== 204) {
    const rule = `${validRule[op]}: ${c.rule} [${c.name}]`;
    expect(refusalStatuses(op), message(rule, x, `${x.status} is neither 204 nor a refusal`)).toContain(x.status);
    expect(errorCode(x), message(rule, x, 'a refusal of a valid body must say the asset is unknown')).toBe('VOD.10062');
  }
}

async function expectRejected(op: Operation, rule: string, name: string, x: Exchange) {
  expectConforming(x);
  expect(refusalStatuses(op), message(`${rejectRule(op, rule)} [${name}]`, x, `got ${x.status}`)).toContain(x.status);
}

async function expectUnauthorized(rule: string, x: Exchange) {
  expectConforming(x);
  expect(x.status, message(rule, x)).toBe(401);
}

// Bodies the client cannot express as objects: sent as exactly these bytes with Content-Type: application/json.
const rawBodies = (op: Operation) => [
  { name: 'empty body', rule: 'the request body is required', bytes: '', mockSkip: false as const },
  { name: 'JSON null', rule: 'the request body is a JSON object', bytes: 'null', mockSkip: false as const },
  { name: 'JSON string', rule: 'the request body is a JSON object', bytes: '"MP4"', mockSkip: false as const },
  { name: 'JSON number', rule: 'the request body is a JSON object', bytes: '42', mockSkip: false as const },
  {
    name: 'malformed JSON',
    rule: 'the request body is well-formed JSON',
    bytes: op === 'PublishAssetFromObs' ? '{"video_type":"MP4","title":' : '{"asset_id":',
    mockSkip: MALFORMED_REASON,
  },
];

const validBody = { PublishAssetFromObs: minimalPublish, CreateSmartCover: { asset_id: '3e1cd21131a94525be55acf65888bf46' } };

describe(`VOD contract against ${target.label}`, () => {
  for (const op of ['PublishAssetFromObs', 'CreateSmartCover'] as const) {
    const creates = op === 'PublishAssetFromObs';
    const writesSkip = creates && !target.writes ? WRITES_REASON : false;
    // The credential checks send a valid body, which a target that wrongly accepted it would turn into an asset.
    const authSkip = creates && !target.writes ? UNAUTHENTICATED_WRITES_REASON : false;

    describe(op, () => {
      describe('valid requests succeed', () => {
        for (const c of bodyCases.filter((c) => c.operation === op && c.valid)) {
          test(`accepts ${c.name} (${c.rule})`, writesSkip, () => expectAccepted(op, c));
        }
      });

      describe('each documented rule: a request that breaks it is rejected', () => {
        for (const c of bodyCases.filter((c) => c.operation === op && !c.valid)) {
          const skip = c.bytesOnly && target.mock ? BYTES_REASON : false;
          test(`rejects ${c.name} (${c.rule})`, skip, async () =>
            expectRejected(op, c.rule, c.name, await send(target, op, c.body)),
          );
        }
        for (const c of rawBodies(op)) {
          const skip = c.mockSkip && target.mock ? c.mockSkip : false;
          test(`rejects ${c.name} (${c.rule})`, skip, async () =>
            expectRejected(op, c.rule, c.name, await send(target, op, undefined, { serialized: c.bytes })),
          );
        }
      });

      describe('authentication', () => {
        test('rejects a request without credentials with 401', authSkip, async () =>
          expectUnauthorized(NO_AUTH_RULE, await sendPlain(target, op, validBody[op], {}, 'no credentials')),
        );
        test('rejects Authorization without X-Sdk-Date with 401', authSkip, async () => {
          const authorization = 'SDK-HMAC-SHA256 Access=CONTRACTSUITE, SignedHeaders=content-type;host, Signature=00';
          const x = await sendPlain(target, op, validBody[op], { authorization }, 'Authorization only (a made-up signature)');
          await expectUnauthorized(HALF_AKSK_RULE, x);
        });
        test('rejects X-Sdk-Date without Authorization with 401', authSkip, async () => {
          const sdkDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
          const x = await sendPlain(target, op, validBody[op], { 'x-sdk-date': sdkDate }, 'X-Sdk-Date only');
          await expectUnauthorized(HALF_AKSK_RULE, x);
        });
      });
    });
  }
});
