// A small conforming implementation of PublishAssetFromObs and CreateSmartCover on node:http, and variants of it
// that each break exactly one rule of the contract. The power test (power.test.ts) runs the contract suite
// against every one of them: the conforming ones must pass, every broken one must fail, naming its rule.
//
// By hand: node test/contract-power/servers.mjs [variant] [port]   (default: conforming on a free port), then
//   VOD_BASE_URL=<printed url> VOD_PROJECT_ID=p VOD_AUTH_TOKEN=t VOD_CONTRACT_WRITES=1 npm run test:contract
// or put Prism's validating proxy in front of it: PORT=4011 npm run proxy -- <printed url>
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The same Ajv as test/helpers/spec.ts's specAjv() (2020-12 on the bundled spec's schemas, with the byte limits of
// x-max-bytes and x-separated-list), built from plain .mjs so that the servers also run with plain node.
import { root } from '../../scripts/paths.mjs';
import { createAjv, schemaDocument } from '../../scripts/schema.mjs';
import { variants } from './variants.mjs';

export { variants };

const spec = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));
const ajv = createAjv({ strict: false });
ajv.addSchema(schemaDocument(spec));
const validators = {
  reproduction: ajv.getSchema('vod.json#/$defs/PublishAssetFromObsRequest'),
  smart_cover: ajv.getSchema('vod.json#/$defs/SmartCoverRequest'),
};

const hex32 = () => randomBytes(16).toString('hex');

function checker(variant) {
  return (operation, body) => {
    const validate = validators[operation];
    if (variant === 'accepts-invalid' && operation === 'reproduction') return [];
    let subject = body;
    if (variant === 'cross-field' && operation === 'reproduction' && body?.storage_mode === 1) {
      subject = { output_bucket: 'any', output_path: 'any', ...body };
    }
    if (validate(subject)) return [];
    const ignored = {
      'open-schema': (e) => e.keyword === 'additionalProperties',
      'bytes-ignored': (e) => e.keyword === 'x-max-bytes' || e.keyword === 'x-separated-list',
    }[variant];
    return validate.errors.filter((e) => !ignored?.(e));
  };
}

/** A request handler for one variant (default: the conforming implementation). */
export function vodHandler(variant = 'conforming') {
  if (!(variant in variants)) throw new Error(`unknown variant ${variant}; one of ${Object.keys(variants).join(', ')}`);
  const options = variants[variant];
  const check = checker(variant);
  const created = new Set();

  return (req, res, text) => {
    const json = (status, body) => {
      const data = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': variant === 'text-plain' ? 'text/plain; charset=utf-8' : 'application/json',
        'content-length': Buffer.byteLength(data),
      });
      res.end(data);
    };
    const refuse = (code, msg, status = variant === 'invalid-422' ? 422 : 400) =>
      json(status, variant === 'error-without-msg' ? { error_code: code } : { error_code: code, error_msg: msg });

    const match = /^\/v1\.0\/([^/]+)\/asset\/(reproduction|smart_cover)$/.exec(new URL(req.url, 'http://x').pathname);
    if (!match || req.method !== 'POST') {
      return json(404, { error_code: 'APIG.0101', error_msg: 'The API does not exist or has not been published in the environment.' });
    }
    const operation = match[2];

    const token = req.headers['x-auth-token'];
    const authorization = req.headers.authorization;
    const sdkDate = req.headers['x-sdk-date'];
    const authenticated =
      variant === 'no-auth' || Boolean(token) || (variant === 'half-aksk' ? Boolean(authorization) : Boolean(authorization && sdkDate));
    if (!authenticated) {
      if (variant === 'html-401') {
        res.writeHead(401, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>401 Unauthorized</h1></body></html>');
      }
      return (variant === 'error-without-msg' ? (s, b) => json(s, { error_code: b.error_code, request_id: b.request_id }) : json)(401, {
        error_code: 'APIG.0301',
        error_msg: 'Incorrect IAM authentication information.',
        request_id: hex32(),
      });
    }

    let body;
    try {
      body = JSON.parse(text);
    } catch {
      if (variant === 'malformed-json-500') return json(500, { error_code: 'VOD.10051', error_msg: 'Internal system error.' });
      return refuse('VOD.10053', 'The request parameter is illegal: the body is not JSON.');
    }
    const errors = check(operation, body);
    if (errors.length) {
      const e = errors[0];
      const field = (e.params?.missingProperty ?? e.params?.additionalProperty ?? e.instancePath.replace(/^\//, '')) || 'body';
      return refuse('VOD.10053', `The request parameter is illegal, illegal field: ${String(field).replaceAll('/', '.')}.`);
    }

    if (operation === 'reproduction') {
      const assetId = hex32();
      created.add(assetId);
      if (variant === 'asset-id-number') return json(200, { asset_id: 4_290_000_000 });
      if (variant === 'missing-asset-id') return json(200, { id: assetId });
      return json(variant === 'created-201' ? 201 : 200, { asset_id: assetId });
    }
    if (variant === 'smart-cover-200') return json(200, { asset_id: body.asset_id, cover_url: 'https://example.invalid/cover.jpg' });
    if (options.unknownAssets && !created.has(body.asset_id)) {
      return refuse('VOD.10062', 'The media asset or resource does not exist.', 400);
    }
    res.writeHead(204);
    return res.end();
  };
}

/** Starts one variant on 127.0.0.1 (a free port unless given). */
export async function startVodServer(variant = 'conforming', port = 0) {
  const handle = vodHandler(variant);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [variant = 'conforming', port = '0'] = process.argv.slice(2);
  const server = await startVodServer(variant, Number(port));
  console.log(`${variant} VOD server (${variants[variant].breaks}) listening on ${server.url}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close().then(() => process.exit(0)));
}
