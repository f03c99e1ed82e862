#!/usr/bin/env node
// The huaweicloud-vod command (package.json `bin`): runs the bundle the build writes, dist/package/cli.js (the
// command line with its libraries bundled in, see src/cli/bundle.mjs). This launcher is committed so that the `bin`
// entry names a file that exists before the build: npm reads package.json, and drops a `bin` whose file is missing,
// before `prepare` builds dist/ (in a fresh clone, when installing from git, when publishing).
try {
  await import('../dist/package/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('cli.js')) {
    console.error('huaweicloud-vod: dist/package/cli.js is not built; run `npm ci` (or `npm run build:package`) in the checkout');
    process.exit(1);
  }
  throw error;
}
