// The built docs in a real browser: opened from file:// with every request to an outside host blocked and counted,
// they must render both operations, the deprecation, the authentication text, the error-code table, the code
// samples and a working search, with Chinese in a real font, and without a single outside request.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocs } from '../../scripts/docs.mjs';
import { deref, operation, root, spec, type Json } from '../helpers/spec.js';

const executablePath = '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
if (!haveChromium && process.env.CI) {
  throw new Error(`Chromium is missing at ${executablePath}; CI must run the docs browser test (apt-get install chromium)`);
}
if (!haveChromium) console.warn(`test/docs/docs.test.ts skipped: no Chromium at ${executablePath}`);

/** Everything a page may load: its own file, inline data, and loopback (npm start's server). */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return (
    ['file:', 'data:', 'blob:', 'about:'].includes(protocol) || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname)
  );
}

const operations = [
  { id: 'PublishAssetFromObs', summary: 'Create an asset from an OBS object (创建媒资：OBS转存方式)', method: 'publishAssetFromObs' },
  { id: 'CreateSmartCover', summary: 'Generate a smart cover (智能封面, deprecated)', method: 'createSmartCover' },
];

describe.skipIf(!haveChromium)(`API docs in Chromium (${executablePath})`, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let docsUrl: string;
  const outside: string[] = [];

  beforeAll(async () => {
    docsUrl = pathToFileURL(buildDocs().html).href;
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // On the context rather than the page, so that requests from workers and popups are caught as well.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  // playwright-core has no test runner and so no locator assertions: wait for the state, then check values.
  const shows = (locator: Locator) => locator.first().waitFor({ state: 'visible' });

  const sidebarItem = (name: string) =>
    page.locator('[data-component-name="Menu/MenuItem"]').filter({ hasText: name }).last();

  /** Opens an operation from the sidebar; returns its section (Redoc gives it the id tag/operationid). */
  async function openOperation(op: (typeof operations)[number]) {
    const sidebar = sidebarItem(op.summary);
    if (!(await sidebar.isVisible())) await sidebarItem('Assets').click();
    await sidebar.click();
    const section = page.locator(`[id="assets/${op.id.toLowerCase()}"]`);
    await shows(section.getByRole('heading', { name: op.summary }));
    return section;
  }

  // First, so that the page's own requests are counted from the start.
  it('blocks and counts outside requests, then opens the docs', async () => {
    // The counter must see what it claims to count: an outside image on a scratch page is recorded (and blocked).
    const scratch = await context.newPage();
    await scratch.setContent('<img src="https://cdn.redoc.ly/redoc/logo-mini-full.svg">');
    await expect.poll(() => outside.length).toBe(1);
    await scratch.close();
    outside.length = 0;

    page = await context.newPage();
    // Short waits: when Redoc's script does not run, every click below would otherwise wait for 30 s.
    page.setDefaultTimeout(10_000);
    await page.goto(docsUrl);
    await shows(page.getByRole('heading', { name: spec.info.title }));
    // The prerendered HTML has the headings already; the sidebar's badge appears only once Redoc's script runs,
    // and it is the local wordmark that replaced the CDN logo.
    const badge = page.locator('img[alt="redocly logo"]');
    await shows(badge);
    expect(await badge.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await badge.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  });

  it('renders both operations', async () => {
    for (const op of operations) {
      const section = await openOperation(op);
      expect(page.url()).toMatch(new RegExp(`#/assets/${op.id.toLowerCase()}$`));
      await shows(section.getByText(`/v1.0/{project_id}/asset/`).first());
    }
  });

  it('marks the smart cover operation deprecated', async () => {
    const section = await openOperation(operations[1]!);
    const badge = (s: Locator) => s.locator('[data-component-name="Tag/Tag"]').filter({ hasText: /^deprecated$/i });
    await shows(badge(section));
    const publish = await openOperation(operations[0]!);
    expect(await badge(publish).count()).toBe(0);
  });

  it('shows the curl and TypeScript samples of each operation', async () => {
    for (const op of operations) {
      const section = await openOperation(op);
      const samples = section.locator('.panel-request-samples');
      await shows(samples.getByText('X-Auth-Token: $TOKEN'));
      await samples.getByRole('button', { name: 'curl' }).click();
      await page.locator('[data-component-name="Dropdown/DropdownMenuItem"]').filter({ hasText: 'TypeScript' }).click();
      await shows(samples.getByText(`await vod.${op.method}(`));
      // Back to curl, so that the next operation starts from the same state.
      await samples.getByRole('button', { name: 'TypeScript' }).click();
      await page.locator('[data-component-name="Dropdown/DropdownMenuItem"]').filter({ hasText: 'curl' }).click();
    }
  });

  it('offers every request example of an operation in the example picker', async () => {
    const { op } = operation('PublishAssetFromObs');
    const summaries = Object.values<Json>(op.requestBody.content['application/json'].examples).map((e) => deref(e).summary);
    const section = await openOperation(operations[0]!);
    await section.locator('.panel-request-samples').getByText(summaries[0], { exact: true }).click();
    const items = page.locator('[data-component-name="Dropdown/DropdownMenuItem"]');
    await shows(items.filter({ hasText: summaries[0] }));
    const visible = await items.evaluateAll((all) =>
      all.filter((item) => (item as HTMLElement).offsetParent !== null).map((item) => (item as HTMLElement).innerText),
    );
    expect(visible).toEqual(summaries);
    await page.keyboard.press('Escape');
  });

  it('finds an operation with the search box', async () => {
    await page.getByText('Search Ctrl+K').click();
    await page.getByPlaceholder('Search docs...').fill('smart cover');
    const hit = page.locator('[data-component-name="Search/SearchItem"]').filter({ hasText: 'Generate a smart cover' });
    await shows(hit);
    await hit.click();
    await page.waitForURL(/#\/assets\/createsmartcover$/);
  });

  it('explains authentication: token, AK/SK signing steps, X-Project-Id, X-Security-Token', async () => {
    await sidebarItem('Authentication').click();
    const main = page.locator('#api-content');
    for (const text of ['X-Auth-Token', 'SDK-HMAC-SHA256', 'StringToSign', 'X-Project-Id', 'X-Security-Token']) {
      await shows(main.getByText(text));
    }
  });

  it('has the full error-code table', async () => {
    await sidebarItem('Error codes').click();
    const rows = page.locator('#api-content table tbody tr');
    await shows(rows);
    expect(await rows.count()).toBe(spec['x-error-codes'].length);
    expect(await rows.filter({ hasText: 'VOD.10062' }).innerText()).toContain('媒资或资源不存在，请检查。');
    expect(await rows.filter({ hasText: 'APIG.0308' }).innerText()).toMatch(/APIGW\.0308\s+429\s+The throttling/);
  });

  it('renders Chinese in a real font, not as tofu', async () => {
    await sidebarItem('Error codes').click();
    const cell = page.locator('#api-content td', { hasText: /^媒资或资源不存在，请检查。$/ });
    await shows(cell);

    // 1. Which font drew the cell: Chromium reports the platform fonts used for a node's text. With fontconfig
    //    limited to DejaVu, the same cell reports "DejaVu Math TeX Gyre" and shows boxes (tofu).
    await cell.evaluate((td) => td.setAttribute('data-font-probe', ''));
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root: doc } = await cdp.send('DOM.getDocument', { depth: 0 });
    const probe = await cdp.send('DOM.querySelector', { nodeId: doc.nodeId, selector: '[data-font-probe]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: probe.nodeId });
    const cjk = /WenQuanYi|Noto (Sans|Serif) (Mono )?CJK|Source Han|Droid Sans Fallback|AR PL|PingFang|Hiragino|YaHei|SimSun/i;
    expect(fonts.map((f) => f.familyName)).toContainEqual(expect.stringMatching(cjk));

    // 2. Independent of font names: drawn in the cell's own font, each character must differ from a code point
    //    that no font has (U+10FFFD, private use) and from the others. Tofu boxes are all the same picture (in the
    //    DejaVu-only run above: one distinct picture, equal to the missing one).
    const pictures = await cell.evaluate((td) => {
      const { fontFamily } = getComputedStyle(td);
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 48;
      const ctx = canvas.getContext('2d')!;
      const draw = (char: string) => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.font = `32px ${fontFamily}`;
        ctx.fillText(char, 4, 38);
        return canvas.toDataURL();
      };
      return { missing: draw('\u{10FFFD}'), chars: ['媒', '资', '源', '请'].map(draw) };
    });
    expect(new Set(pictures.chars).size).toBe(pictures.chars.length);
    expect(pictures.chars).not.toContain(pictures.missing);
  });

  it('saves a screenshot of the deprecated operation and of the error codes', async () => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    await openOperation(operations[1]!);
    await page.screenshot({ path: join(root, 'dist', 'docs-screenshot.png') });
    await sidebarItem('Error codes').click();
    await page.screenshot({ path: join(root, 'dist', 'docs-screenshot-errors.png') });
  });

  // Last, so that it covers everything the tests above made the page do.
  it('made no request to any outside host', () => {
    expect(outside).toEqual([]);
  });
});
