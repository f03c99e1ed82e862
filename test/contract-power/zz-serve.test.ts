import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { startVodServer } from './servers.js';
it('serve', async () => {
  const a = await startVodServer('body-on-204');
  const b = await startVodServer('unknown-asset-404');
  const c = await startVodServer('conforming');
  writeFileSync('/tmp/serve-urls', `${a.url} ${b.url} ${c.url}\n`);
  await new Promise((r) => setTimeout(r, 170_000));
}, 200_000);
