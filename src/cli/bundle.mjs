// Builds the command line into one file: src/cli/index.ts with the client and its libraries (commander) bundled in,
// so that installing the package installs no dependency (the client keeps zero runtime dependencies; the CLI's
// libraries live only inside this file). Used by scripts/package.mjs (dist/package/cli.js) and by test/cli.
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Writes the bundled, executable command to `outfile`. */
export async function bundleCli(outfile) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(here, 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    legalComments: 'inline',
    // Minified: 1.2 MB instead of 1.8 (the installed package has a size budget); the command reports errors by their
    // messages, not by stack traces.
    minify: true,
    logLevel: 'warning',
    banner: {
      js: [
        '#!/usr/bin/env node',
        '// huaweicloud-vod: the command line of huaweicloud-vod-openapi (MIT). Bundled: commander (MIT), cli-progress (MIT),',
        '// cli-table3 (MIT), @aws-sdk/client-s3 and its @smithy and @aws-sdk dependencies (Apache-2.0); see their packages.',
        // commander is CommonJS: its require() of node builtins needs a require in an ES module.
        "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);",
      ].join('\n'),
    },
  });
  chmodSync(outfile, 0o755);
}
