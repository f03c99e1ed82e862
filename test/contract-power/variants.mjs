// The servers of the power test: the conforming ones, and the broken ones with the one rule each breaks. Plain
// data (servers.mjs implements them), so that listing them costs nothing.

/**
 * Each variant: what it breaks, and `expect`, a substring the contract suite's output must contain when it catches
 * it (the rule it names). `conforming: true` ones must pass.
 */
export const variants = {
  conforming: { conforming: true, breaks: 'nothing: 204 for every valid smart cover' },
  'conforming-unknown-asset': {
    conforming: true,
    breaks: 'nothing: 400 VOD.10062 for a smart cover of an asset it did not create',
    unknownAssets: true,
  },
  'created-201': {
    breaks: 'answers 201 instead of 200 when it creates an asset',
    expect: 'rule: every status returned is declared for the operation (201 is not declared for PublishAssetFromObs',
  },
  'asset-id-number': {
    breaks: 'asset_id is a number',
    expect: 'rule: every body validates against its declared schema (200 body against #/components/schemas/PublishAssetFromObsResponse: /asset_id must be string)',
  },
  'missing-asset-id': {
    breaks: 'the 200 body has no asset_id',
    expect: "rule: every body validates against its declared schema (200 body against #/components/schemas/PublishAssetFromObsResponse: (root) must have required property 'asset_id')",
  },
  'accepts-invalid': {
    breaks: 'does not validate PublishAssetFromObs bodies at all',
    expect: 'rule: an invalid request is rejected with a declared 4xx (400 or 403) and an ErrorResponse: video_type is required',
  },
  'cross-field': {
    breaks: 'accepts storage_mode 1 without output_bucket/output_path (one cross-field rule)',
    expect: 'rule: an invalid request is rejected with a declared 4xx (400 or 403) and an ErrorResponse: storage_mode: 1 requires output_bucket and output_path',
  },
  'open-schema': {
    breaks: 'accepts unknown fields (request schemas not closed)',
    expect: 'rule: an invalid request is rejected with a declared 4xx (400 or 403) and an ErrorResponse: request schema is closed',
  },
  'bytes-ignored': {
    breaks: 'checks lengths in characters, not UTF-8 bytes (what Prism sees)',
    expect: 'rule: an invalid request is rejected with a declared 4xx (400 or 403) and an ErrorResponse: title <= 128 UTF-8 bytes',
  },
  'malformed-json-500': {
    breaks: 'answers malformed JSON with 500 (a crash) instead of 400',
    expect: 'rule: an invalid request is rejected with a declared 4xx (400 or 403) and an ErrorResponse: the request body is well-formed JSON',
  },
  'no-auth': {
    breaks: 'accepts requests without credentials',
    expect: 'rule: a request without credentials is rejected with 401 and an ErrorResponse',
  },
  'half-aksk': {
    breaks: 'accepts an Authorization header without X-Sdk-Date as credentials',
    expect: 'rule: AK/SK needs both Authorization and X-Sdk-Date: a request with only one of them is rejected with 401',
  },
  'text-plain': {
    breaks: 'sends its JSON bodies as text/plain',
    expect: 'rule: every JSON body carries a JSON content type (a JSON body came with content-type text/plain',
  },
  'smart-cover-200': {
    breaks: 'answers a smart cover with 200 and a JSON body instead of 204',
    expect: 'rule: every status returned is declared for the operation (200 is not declared for CreateSmartCover',
  },
  'error-without-msg': {
    breaks: 'error bodies lack error_msg',
    expect: "rule: every body validates against its declared schema (400 body against #/components/schemas/ErrorResponse: (root) must have required property 'error_msg')",
  },
  'invalid-422': {
    breaks: 'answers invalid input with 422 (not declared)',
    expect: 'rule: every status returned is declared for the operation (422 is not declared for',
  },
  'html-401': {
    breaks: 'answers a missing credential with 401 and an HTML page',
    expect: 'rule: every JSON body carries a JSON content type (401 is declared as application/json, but came with content-type text/html',
  },
};
