// The command on a terminal (tmux): progress bars while a job runs (items, rate, ETA), then the summary as a table,
// with a failed item named in it. tmux is needed; on CI its absence fails loudly instead of skipping.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleCli } from '../../src/cli/bundle.mjs';
import { LIMITS, startRateLimitedVod, TIME_SCALE, type RateLimitedVod } from './harness.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI === 'true') throw new Error('test/cli/terminal.test.ts needs tmux on CI');

let dir: string;
let vod: RateLimitedVod;
const socket = `hwvod-cli-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  if (!hasTmux) return;
  dir = mkdtempSync(join(tmpdir(), 'hwvod-tty-'));
  await bundleCli(join(dir, 'cli.js'));
  vod = await startRateLimitedVod();
});
afterAll(async () => {
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  await vod?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it.skipIf(!hasTmux)('shows progress bars while a transfer runs, then a summary table naming the failed item', async () => {
  const keys = [...Array.from({ length: 250 }, (_, i) => `tty/clip-${i}.mp4`), 'tty/readme.txt'];
  writeFileSync(join(dir, 'keys.txt'), keys.join('\n'));
  const env = {
    HUAWEICLOUD_SDK_AK: vod.sim.ak,
    HUAWEICLOUD_SDK_SK: vod.sim.sk,
    HUAWEICLOUD_SDK_PROJECT_ID: vod.sim.projectId,
    HUAWEICLOUD_VOD_TIME_SCALE: String(TIME_SCALE),
    LANG: 'C.UTF-8',
  };
  const limits = Object.entries(LIMITS).map(([g, n]) => `--rate-limit ${g}=${n}`).join(' ');
  const script = join(dir, 'run.sh');
  writeFileSync(
    script,
    `${Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join('\n')}\n` +
      `'${process.execPath}' '${join(dir, 'cli.js')}' transfer --bucket media --location cn-north-4 --list '${join(dir, 'keys.txt')}' ` +
      `--journal '${join(dir, 'tty.journal')}' --wait --endpoint ${vod.url} ${limits}\necho "EXIT=$?"\nsleep 60\n`,
  );
  tmux('-u', 'new-session', '-d', '-s', 'job', '-x', '110', '-y', '40', `sh '${script}'`);
  const screens: string[] = [];
  for (let i = 0; i < 300; i++) {
    const screen = tmux('capture-pane', '-p', '-t', 'job');
    screens.push(screen);
    if (screen.includes('EXIT=')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const last = screens.at(-1)!;
  if (process.env.SHOW_SCREEN) console.log(screens[Math.floor(screens.length / 2)], last);
  expect(last).toContain('EXIT=1');
  // While it ran: a bar of the items created, part way, with its count, rate and ETA.
  const during = screens.find((s) => /created +\S*░\S* +\d+% \| \d+\/250 \| [\d.]+\/s \| ETA/.test(s));
  expect(during, screens.slice(0, 5).join('\n----\n')).toBeDefined();
  // At the end: the bars complete, the summary table, the failed item and why.
  expect(last).toMatch(/created +█+ 100% \| 250\/250/);
  expect(last).toMatch(/ready +█+ 100% \| 250\/250/);
  expect(last).toMatch(/│ created +│ 250 +│/);
  expect(last).toMatch(/│ failed +│ 1 +│/);
  expect(last).toMatch(/│ tty\/readme\.txt +│ no video_type/);
  // Events are not printed line by line on a terminal.
  expect(last).not.toMatch(/^created +tty\//m);
});

it.skipIf(!hasTmux)('delete asks on a terminal: "n" keeps the asset, "y" deletes it', async () => {
  const vodClient = (await import('../../src/client.js')).createVodClient({ projectId: vod.sim.projectId, endpoint: vod.sim.url, credentials: { ak: vod.sim.ak, sk: vod.sim.sk } });
  const { data } = await vodClient.publishAssetFromObs({ title: 'doomed', video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: 'doomed.mp4' } });
  const id = data!.asset_id!;
  const isDeleted = () => vod.sim.state.assets.find((a: any) => a.asset_id === id)!.deleted === true;
  for (const [answer, deleted] of [['n', false], ['y', true]] as const) {
    const script = join(dir, `delete-${answer}.sh`);
    writeFileSync(
      script,
      `export HUAWEICLOUD_SDK_AK='${vod.sim.ak}' HUAWEICLOUD_SDK_SK='${vod.sim.sk}' HUAWEICLOUD_SDK_PROJECT_ID='${vod.sim.projectId}' LANG=C.UTF-8\n` +
        `'${process.execPath}' '${join(dir, 'cli.js')}' delete ${id} --endpoint ${vod.url}\necho "EXIT=$?"\nsleep 60\n`,
    );
    const session = `delete-${answer}`;
    tmux('-u', 'new-session', '-d', '-s', session, '-x', '110', '-y', '20', `sh '${script}'`);
    const screen = async (until: RegExp) => {
      for (let i = 0; i < 100; i++) {
        const text = tmux('capture-pane', '-p', '-t', session);
        if (until.test(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`never saw ${until}: ${tmux('capture-pane', '-p', '-t', session)}`);
    };
    expect(await screen(/\[y\/N\]/)).toContain(`Delete 1 asset(s) (${id})? [y/N]`);
    expect(isDeleted()).toBe(false);
    tmux('send-keys', '-t', session, answer, 'Enter');
    const after = await screen(/EXIT=\d/);
    expect(after).toContain('EXIT=0');
    expect(after).toMatch(deleted ? /│ assets +│ 1 +│/ : /cancelled/);
    expect(isDeleted()).toBe(deleted);
  }
});
