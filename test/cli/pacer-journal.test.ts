// The pacer's sliding window (fake clock) and the journal's replay, without a process or a server.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal, JournalMismatch, markerIn, replay } from '../../src/cli/journal.js';
import { groupOf, WindowPacer } from '../../src/cli/pacer.js';

describe('WindowPacer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const pacer = (limit: number, history: number[] = [], sends: number[] = []) =>
    new WindowPacer('upload', limit, 1000, history, (_g, at) => sends.push(at), () => {});

  it('lets `limit` calls through at once, then the next one a window after the first was answered', async () => {
    const p = pacer(2);
    expect(p.windowMs).toBe(1015); // 1 % + 5 ms over the gateway's window
    const a = await p.acquire();
    const b = await p.acquire();
    await vi.advanceTimersByTimeAsync(100);
    a(); // answered at +100
    await vi.advanceTimersByTimeAsync(200);
    b(); // answered at +300
    let released = 0;
    const c = p.acquire().then((answered) => ((released = Date.now()), answered));
    await vi.advanceTimersByTimeAsync(814); // +1114: the first call is still in the window
    expect(released).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toBe(1_000_000 + 100 + 1015);
    (await c)();
  });

  it('a call in flight holds its slot however long it takes', async () => {
    const p = pacer(1);
    const a = await p.acquire();
    let released = false;
    const b = p.acquire().then((answered) => ((released = true), answered));
    await vi.advanceTimersByTimeAsync(5000);
    expect(released).toBe(false);
    a();
    await vi.advanceTimersByTimeAsync(1014);
    expect(released).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toBe(true);
    (await b)();
  });

  it("counts an earlier run's calls still in the window (from the journal)", async () => {
    const sends: number[] = [];
    const p = pacer(2, [1_000_000 - 900, 1_000_000 - 100], sends);
    let released = 0;
    const a = p.acquire().then((answered) => ((released = Date.now()), answered));
    await vi.advanceTimersByTimeAsync(114);
    expect(released).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toBe(1_000_000 - 900 + 1015);
    expect(sends).toEqual([released]);
    (await a)();
  });

  it('serves callers in order', async () => {
    const p = pacer(1);
    const order: string[] = [];
    const first = await p.acquire();
    const waiting = ['b', 'c', 'd'].map((name) => p.acquire().then((answered) => (order.push(name), answered())));
    first();
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(waiting);
    expect(order).toEqual(['b', 'c', 'd']);
  });
});

describe('groupOf', () => {
  it("finds a request's rate-limit group from its method and path", () => {
    const base = 'https://vod.cn-north-4.myhuaweicloud.com/v1.0/0123456789abcdef0123456789abcdef';
    expect(groupOf('POST', `${base}/asset/reproduction`)?.group).toBe('upload');
    expect(groupOf('GET', `${base}/asset/info?asset_id=a`)?.group).toBe('query');
    expect(groupOf('GET', `${base}/asset/list?page=0`)).toMatchObject({ group: 'query', perTenantPerMinute: 1500 });
    expect(groupOf('POST', `${base}/asset/status/publish`)).toMatchObject({ group: 'asset-management', perTenantPerMinute: 100 });
    expect(groupOf('DELETE', `${base}/asset?asset_id=a`)).toMatchObject({ group: 'asset-management' });
    // A path of no operation: not paced.
    expect(groupOf('GET', `${base}/nothing/here`)).toBeUndefined();
  });
});

describe('Journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwvod-journal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays intents and outcomes, ignores a torn last line, and refuses another job', async () => {
    const path = join(dir, 'a.journal');
    const journal = Journal.open(path, 'transfer', { bucket: 'media', location: 'cn-north-4' });
    await journal.appendDurable({ t: 'intent', item: 'a.mp4' });
    await journal.appendDurable({ t: 'created', item: 'a.mp4', asset: 'A' });
    await journal.appendDurable({ t: 'intent', item: 'b.mp4' });
    await journal.appendDurable({ t: 'intent', item: 'c.mp4' });
    await journal.appendDurable({ t: 'failed', item: 'c.mp4', error: '400 VOD.10053' });
    journal.close();
    appendFileSync(path, '{"t":"created","item":"b.mp4","as'); // a crash in the middle of a write

    const again = Journal.open(path, 'transfer', { bucket: 'media', location: 'cn-north-4' });
    expect(again.job.id).toMatch(/^[0-9a-f]{16}$/);
    const items = replay(again);
    expect(items.get('a.mp4')).toMatchObject({ asset: 'A' });
    expect(items.get('a.mp4')!.pending).toBeUndefined();
    expect(items.get('b.mp4')!.pending).toBeTypeOf('number'); // may or may not have created an asset
    expect(items.get('c.mp4')).toMatchObject({ failed: '400 VOD.10053' });
    // The marker of an item, as it goes into a description, and back.
    expect(markerIn(`my text\n${again.marker('b.mp4')}`)).toEqual({ job: again.job.id, item: again.marker('b.mp4').split(':')[2] });
    again.close();

    expect(() => Journal.open(path, 'transfer', { bucket: 'other', location: 'cn-north-4' })).toThrow(JournalMismatch);
    expect(() => Journal.open(path, 'upload', {})).toThrow(/not the journal of a upload job/);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toContain('"t":"job"');
  });

  it("keeps each call's time for the next run: its answer, or its sending plus a second when it was never answered", () => {
    const path = join(dir, 'b.journal');
    const journal = Journal.open(path, 'upload', {});
    const pacing = journal.pacing();
    const first = pacing.onSend('upload', 1000);
    pacing.onSend('upload', 1010); // killed in flight: never answered
    pacing.onSend('query', 1020);
    pacing.onAnswer(first, 1050);
    journal.close();
    const history = Journal.open(path, 'upload', {}).pacing().history;
    expect(history.get('upload')).toEqual([1050, 2010]);
    expect(history.get('query')).toEqual([2020]);
  });
});
