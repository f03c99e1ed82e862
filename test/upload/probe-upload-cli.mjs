// Runs probe-upload.mjs on a server-side runtime: args vodUrl token path mode (path | bytes); prints one JSON line.
import { readFileSync } from 'node:fs';
import * as vod from './vod.mjs';
import { probeUpload } from './probe-upload.mjs';

const [vodUrl, token, path, mode] = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const source = mode === 'bytes' ? new Uint8Array(readFileSync(path)) : path;
const extra = mode === 'bytes' ? { video_type: 'MP4', video_name: 'matrix.mp4' } : {};
console.log(JSON.stringify(await probeUpload(vod, vodUrl, token, source, extra)));
