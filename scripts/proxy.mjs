// npm run proxy -- <upstream-url>: Prism's validating proxy for generated/openapi.json in front of a real server,
// on 127.0.0.1, port $PORT or 4010, or a free port when that one is taken. Every request is forwarded and the
// upstream's answer returned; requests and responses that break the description are logged and listed in the
// response's `sl-violations` header. (Without
// --errors: with it, Prism answers invalid requests itself with its own 401/422 problem+json, which the spec does
// not declare, so the upstream would never be seen breaking a rule.) Stops Prism on SIGINT, SIGTERM and SIGHUP, and
// when the command that started it is gone (scripts/lifecycle.mjs).
import { stopTogether } from './lifecycle.mjs';
import { portFromEnv, runUntilSignal, startPrismOnce } from './mock.mjs';

const upstream = process.argv[2];
let url;
try {
  url = new URL(upstream ?? '');
} catch {
  console.error('usage: npm run proxy -- <upstream-url>   (e.g. npm run proxy -- https://vod.cn-north-4.myhuaweicloud.com)');
  process.exit(2);
}
if (url.protocol !== 'http:' && url.protocol !== 'https:') {
  console.error(`upstream must be an http(s) URL, got ${upstream}`);
  process.exit(2);
}

// A busy port (`npm run mock` holds 4010) is replaced by a free one, as npm start does, rather than letting Prism
// fail on it.
const lifecycle = stopTogether();
const options = { mode: 'proxy', upstream: url.href.replace(/\/+$/, ''), errors: false, stdio: 'inherit' };
const prism = await startPrismOnce(lifecycle, portFromEnv(), options, 'the proxy');
console.log(`Prism validating proxy of generated/openapi.json listening on ${prism.url}, forwarding to ${url.href}`);
runUntilSignal(prism, lifecycle);
