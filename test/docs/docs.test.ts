// The built docs in a real browser, opened from disk (file://) and from a local 127.0.0.1 server, with every
// request to an outside host blocked and counted. What a reader must be able to rely on: every operation of the
// spec renders under its tag with curl and TypeScript samples; the request body shows no optional field as
// required and states each cross-field rule as a condition and what it requires; the samples follow the selected
// example and call a region where the operation works; the operations come first in the sidebar; tables and
// samples fit at 1280 px; copied links open their section; search snippets read as sentences; the transfer guide
// is there; Chinese renders in a real font; and nothing is loaded from outside.
//
// DOCS_UNDER_TEST=<path to an index.html> runs the checks against an existing build instead of building one
// (how the checks were shown to fail on the build before issue 12).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSamples, operations, operationServer } from '../../scripts/code-samples.mjs';
import { assetStatuses, guideOperations, guideTitle } from '../../scripts/docs-guide.mjs';
import { ruleSentences } from '../../scripts/docs-rules.mjs';
import { buildDocs } from '../../scripts/docs.mjs';
import { serveDocs } from '../../scripts/start.mjs';
import { deref, root, spec, type Json } from '../helpers/spec.js';

const executablePath = '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
if (!haveChromium && process.env.CI) {
  throw new Error(`Chromium is missing at ${executablePath}; CI must run the docs browser test (apt-get install chromium)`);
}
if (!haveChromium) console.warn(`test/docs/docs.test.ts skipped: no Chromium at ${executablePath}`);

const screenshots = join(root, 'dist', 'docs-screenshots');

/** Everything a page may load: its own file, inline data, and loopback (npm start's server). */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return (
    ['file:', 'data:', 'blob:', 'about:'].includes(protocol) || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname)
  );
}

const ops = operations(spec) as { path: string; method: string; op: Json; pathItem: Json }[];
const samples = allSamples(spec) as Record<string, { examples: string[]; curl: string[]; typescript: string[] }>;
const byId = (id: string) => ops.find((o) => o.op.operationId === id)!;
/** Markdown to the text a reader sees: `code` loses its backticks. */
const plain = (markdown: string) => markdown.replaceAll('`', '');
/** Text as the browser lays it out, whitespace collapsed. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.skipIf(!haveChromium)(`API docs in Chromium (${executablePath})`, { timeout: 120_000 }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let server: Awaited<ReturnType<typeof serveDocs>>;
  const origins: Record<'file' | 'http', string> = { file: '', http: '' };
  const outside: string[] = [];

  beforeAll(async () => {
    const html = process.env.DOCS_UNDER_TEST ?? buildDocs().html;
    origins.file = pathToFileURL(html).href;
    server = await serveDocs({ dir: dirname(html), port: 0 });
    origins.http = server.url;
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
    // 1280 px wide: the width the issue's layout checks are about.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    // On the context rather than the page, so that requests from workers and popups are caught as well.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // playwright-core has no test runner and so no locator assertions: wait for the state, then check values.
  const shows = (locator: Locator) => locator.first().waitFor({ state: 'visible' });
  const sidebarItem = (page: Page, name: string) =>
    page.locator('[data-component-name="Menu/MenuItem"]').filter({ hasText: name }).last();
  const menuItem = (page: Page) => page.locator('[data-component-name="Dropdown/DropdownMenuItem"]');
  // By its text: a heading's accessible name also has its anchor link's label ("link to …").
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const heading = (page: Page, text: string) =>
    page.locator('h1, h2, h3').filter({ hasText: new RegExp(`^\\s*${escape(text)}(\\s|Deprecated)*$`, 'i') });

  async function open(origin: keyof typeof origins, hash = ''): Promise<Page> {
    const page = await context.newPage();
    // Short waits: when Redoc's script does not run, every click below would otherwise wait for 30 s.
    page.setDefaultTimeout(10_000);
    await page.goto(origins[origin] + hash);
    await shows(page.getByRole('heading', { name: spec.info.title }));
    // The sidebar's badge appears only once Redoc's script has run: from here on the page is interactive.
    await shows(page.locator('img[alt="redocly logo"]'));
    return page;
  }

  /** Opens an operation from the sidebar (expanding its tag) and returns its section. */
  async function openOperation(page: Page, id: string): Promise<Locator> {
    const { op } = byId(id);
    const item = sidebarItem(page, op.summary);
    // Redoc keeps only the active tag expanded, and its scroll spy, still settling after an earlier test's
    // navigation, can close the tag between our look and our click (seen in CI under load: the item was visible,
    // then gone for good). So: expand the tag when the item is not shown, click with a short wait, and go again.
    for (let attempt = 1; ; attempt++) {
      if (!(await item.isVisible())) await sidebarItem(page, op.tags[0]).click();
      try {
        await item.click({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    const title = heading(page, op.summary);
    await shows(title);
    return page.locator('[id]').filter({ has: title }).last();
  }

  const samplePanel = (section: Locator) => section.locator('.panel-request-samples');
  const sampleCode = (section: Locator) => samplePanel(section).locator('[data-testid="source-code"]').first();

  async function chooseLanguage(page: Page, section: Locator, language: 'curl' | 'TypeScript') {
    const header = samplePanel(section).locator('[data-component-name="Panel/PanelHeader"] > [data-component-name="Dropdown/Dropdown"] > button');
    const current = header.last();
    if ((await current.innerText()).trim() === language) return;
    await current.click();
    await menuItem(page).filter({ hasText: new RegExp(`^${language}$`) }).click();
    await expect.poll(() => current.innerText()).toBe(language);
  }

  async function chooseExample(page: Page, section: Locator, title: string) {
    const picker = samplePanel(section).getByRole('button', { name: 'Example' });
    if ((await picker.innerText()).trim() === title) return;
    await picker.click();
    await menuItem(page).filter({ hasText: title }).first().click();
    await expect.poll(() => picker.innerText()).toBe(title);
  }

  // First, so that the page's own requests are counted from the start.
  it('blocks and counts outside requests', async () => {
    // The counter must see what it claims to count: an outside image on a scratch page is recorded (and blocked).
    const scratch = await context.newPage();
    await scratch.setContent('<img src="https://cdn.redoc.ly/redoc/logo-mini-full.svg">');
    await expect.poll(() => outside.length).toBe(1);
    await scratch.close();
    outside.length = 0;
  });

  for (const origin of ['file', 'http'] as const) {
    describe(`opened ${origin === 'file' ? 'from disk (file://)' : 'from a 127.0.0.1 server'}`, () => {
      let page: Page;
      beforeAll(async () => {
        page = await open(origin);
      });
      afterAll(() => page?.close());

      it('renders every operation of the spec under its tag, with curl first', async () => {
        for (const { op, method } of ops) {
          const section = await openOperation(page, op.operationId);
          // Grouped by tag: the section's anchor starts with the operation's tag.
          expect(await section.getAttribute('id')).toMatch(new RegExp(`^${op.tags[0].toLowerCase().replace(/\W+/g, '-')}/`));
          await chooseLanguage(page, section, 'curl');
          expect(await sampleCode(section).innerText()).toContain(`curl -X ${method.toUpperCase()} `);
        }
      });

      it('lists the operations first in the sidebar, before the guide and the reference sections', async () => {
        const labels = (await page.locator('[data-component-name="Menu/MenuItem"]').allInnerTexts()).map(squash);
        const first = (name: string) => labels.findIndex((l) => l === name || l.startsWith(`${name} `));
        const tags = [...new Set(ops.map((o) => o.op.tags[0] as string))];
        const lastTag = Math.max(...tags.map(first));
        expect(tags.map(first)).not.toContain(-1);
        for (const section of ['Authentication', 'Vendor extensions', 'Error codes', guideTitle]) {
          expect(first(section), section).toBeGreaterThan(lastTag);
        }
      });

      it('PublishAssetFromObs: the default view marks exactly the required fields required, and states every rule', async () => {
        const section = await openOperation(page, 'PublishAssetFromObs');
        const schema = deref(byId('PublishAssetFromObs').op.requestBody.content['application/json'].schema);
        const marked = await section.locator('.schema-property-item').evaluateAll((items) =>
          items
            .filter((item) => /\/t=request&path=[^.&]+$/.test(decodeURIComponent(item.id))) // body fields, not parameters
            .filter((item) => [...item.firstElementChild!.querySelectorAll('span')].some((s) => s.textContent === 'required'))
            .map((item) => item.querySelector('.schema-name')!.textContent),
        );
        expect(marked.sort()).toEqual([...schema.required].sort());
        const text = squash(await section.innerText());
        expect(text).not.toMatch(/One of|case 1/);
        const rules = [
          ...ruleSentences(schema),
          ...Object.entries<Json>(schema.properties)
            .filter(([, p]) => p.$ref)
            .flatMap(([name, p]) => ruleSentences(deref(p), `${name}.`)),
        ];
        expect(rules.length).toBeGreaterThanOrEqual(4); // storage_mode, auto_encrypt, thumbnail time and dots
        for (const rule of rules) expect(text).toContain(plain(rule));
        expect(text).toContain('When storage_mode is 1: output_bucket and output_path are required.');
        if (origin === 'file') await page.screenshot({ path: join(screenshots, 'publish-asset-from-obs.png') });
      });

      it('CreateSmartCover: the samples call a region where smart cover was offered', async () => {
        const { op, pathItem } = byId('CreateSmartCover');
        const unsupported: string[] = op['x-unsupported-regions'];
        expect(unsupported).toEqual(expect.arrayContaining(['cn-north-4', 'cn-east-2']));
        const region = operationServer(spec, op, pathItem).region;
        const section = await openOperation(page, 'CreateSmartCover');
        for (const language of ['curl', 'TypeScript'] as const) {
          await chooseLanguage(page, section, language);
          const code = await sampleCode(section).innerText();
          expect(code).toContain(region);
          for (const r of unsupported) expect(code).not.toContain(r);
        }
        // Nor does the server picker of the panel offer them.
        const panel = await samplePanel(section).evaluate((e) => e.textContent ?? '');
        for (const r of unsupported) expect(panel).not.toContain(`vod.${r}.`);
        await chooseLanguage(page, section, 'curl');
        if (origin === 'file') await page.screenshot({ path: join(screenshots, 'create-smart-cover.png') });
      });

      it('a copied sidebar link opens its section', async () => {
        const href = await sidebarItem(page, 'Error codes').locator('a').first().getAttribute('href');
        expect(href).toMatch(/^#\//);
        const copied = await context.newPage();
        await copied.goto(new URL(href!, origins[origin]).href);
        const title = heading(copied, 'Error codes');
        await shows(title);
        await expect.poll(() => title.first().evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(300);
        await copied.close();
      });
    });
  }

  describe('opened from disk (file://)', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open('file');
    });
    afterAll(() => page?.close());

    it('marks the smart cover operation deprecated, and only it', async () => {
      const badge = (s: Locator) => s.locator('[data-component-name="Tag/Tag"]').filter({ hasText: /^deprecated$/i });
      for (const { op } of ops) {
        const section = await openOperation(page, op.operationId);
        expect(await badge(section).count(), op.operationId).toBe(op.deprecated ? 1 : 0);
      }
    });

    it('shows the TypeScript sample of every operation, calling its client method', async () => {
      for (const { op } of ops) {
        const section = await openOperation(page, op.operationId);
        await chooseLanguage(page, section, 'TypeScript');
        const method = op.operationId[0].toLowerCase() + op.operationId.slice(1);
        expect(await sampleCode(section).innerText()).toContain(`await vod.${method}(`);
        await chooseLanguage(page, section, 'curl');
      }
    });

    it('shows the sample of the selected example, and copies that one', async () => {
      const id = 'PublishAssetFromObs';
      const { examples, curl, typescript } = samples[id]!;
      expect(examples.length).toBeGreaterThan(2);
      const section = await openOperation(page, id);
      for (const [language, sources] of [['curl', curl], ['TypeScript', typescript]] as const) {
        await chooseLanguage(page, section, language);
        // The last example first, then back to the first: the sample must follow both ways.
        for (const index of [examples.length - 1, 1, 0]) {
          await chooseExample(page, section, examples[index]!);
          await expect.poll(() => sampleCode(section).innerText()).toBe(sources[index]);
        }
      }
      await chooseLanguage(page, section, 'curl');
      await chooseExample(page, section, examples.at(-1)!);
      await samplePanel(section).locator('[data-component-name="CodeBlock/CodeBlock"] [data-testid="copy-button"]').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl.at(-1));
      await page.screenshot({ path: join(screenshots, 'selected-example.png') });
      await chooseExample(page, section, examples[0]!);
    });

    it('offers every request example of an operation in the example picker', async () => {
      const { op } = byId('PublishAssetFromObs');
      const summaries = Object.values<Json>(op.requestBody.content['application/json'].examples).map((e) => deref(e).summary);
      const section = await openOperation(page, 'PublishAssetFromObs');
      await samplePanel(section).getByRole('button', { name: 'Example' }).click();
      await shows(menuItem(page).filter({ hasText: summaries[0] }));
      const visible = await menuItem(page).evaluateAll((all) =>
        all.filter((item) => (item as HTMLElement).offsetParent !== null).map((item) => (item as HTMLElement).innerText),
      );
      expect(visible).toEqual(summaries);
      await page.keyboard.press('Escape');
    });

    it('wraps samples instead of cutting them, with the copy button clear of the code', async () => {
      for (const id of ['PublishAssetFromObs', 'ShowAssetMeta']) {
        const section = await openOperation(page, id);
        for (const language of ['curl', 'TypeScript'] as const) {
          await chooseLanguage(page, section, language);
          const pre = sampleCode(section);
          const { scrollWidth, clientWidth } = await pre.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
          expect(scrollWidth, `${id} ${language}`).toBeLessThanOrEqual(clientWidth + 1);
          const copy = samplePanel(section).locator('[data-component-name="CodeBlock/CodeBlock"] [data-testid="copy-button"]');
          const button = (await copy.boundingBox())!;
          const firstLine = (await pre.locator('.th-line').first().boundingBox())!;
          expect(button.y + button.height, `${id} ${language}: copy button above the first line`).toBeLessThanOrEqual(firstLine.y + 1);
        }
        await chooseLanguage(page, section, 'curl');
      }
      await openOperation(page, 'ShowAssetMeta');
      await page.screenshot({ path: join(screenshots, 'show-asset-meta.png') });
    });

    it('has the full error-code table, readable at 1280 px without scrolling sideways', async () => {
      await sidebarItem(page, 'Error codes').click();
      const rows = page.locator('#api-content table tbody tr');
      await shows(rows);
      expect(await rows.count()).toBe(spec['x-error-codes'].length);
      const vod10062 = spec['x-error-codes'].find((e: Json) => e.code === 'VOD.10062');
      expect(await rows.filter({ hasText: 'VOD.10062' }).innerText()).toContain(vod10062.message_zh);
      expect(squash(await rows.filter({ hasText: 'APIG.0308' }).innerText())).toMatch(/APIGW\.0308 429 The throttling/);
      const wrapper = page.locator('#api-content .md-table-wrapper').filter({ hasText: 'VOD.10062' });
      const { scrollWidth, clientWidth } = await wrapper.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth + 1);
      // Every column, the Chinese messages included, lies inside the visible part of the table.
      const box = (await wrapper.boundingBox())!;
      const cells = await wrapper.locator('th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().right));
      for (const right of cells) expect(right).toBeLessThanOrEqual(box.x + box.width + 1);
      await page.screenshot({ path: join(screenshots, 'error-codes.png') });
    });

    it('finds an operation with the search box, and shows snippets that read as sentences', async () => {
      await page.getByText('Search Ctrl+K').click();
      const input = page.getByPlaceholder('Search docs...');
      await input.fill('smart cover');
      const hit = page.locator('[data-component-name="Search/SearchItem"]').filter({ hasText: 'Generate a smart cover' });
      await shows(hit);
      // Table cells are separated in the snippet: the code, its status and its message, not "VOD.10059403The…".
      const entry = spec['x-error-codes'].find((e: Json) => e.code === 'VOD.10059');
      await input.fill('content type');
      const snippet = page.locator('[data-component-name="Search/SearchItem"]').filter({ hasText: entry.code });
      await shows(snippet);
      const text = squash(await snippet.first().innerText());
      expect(text).toContain(`${entry.code} ${entry.status.join(', ')} ${entry.message}`);
      expect(text).not.toMatch(/\d[A-Z][a-z]/);
      await page.screenshot({ path: join(screenshots, 'search.png') });
      await input.fill('smart cover');
      await hit.click();
      await shows(heading(page, byId('CreateSmartCover').op.summary));
    });

    it('explains authentication: token, AK/SK signing steps, X-Project-Id, X-Security-Token', async () => {
      await sidebarItem(page, 'Authentication').click();
      const main = page.locator('#api-content');
      for (const text of ['X-Auth-Token', 'SDK-HMAC-SHA256', 'StringToSign', 'X-Project-Id', 'X-Security-Token']) {
        await shows(main.getByText(text));
      }
    });

    it('has the transfer guide: its steps, the whole program, rate limits from the spec and failure statuses', async () => {
      await sidebarItem(page, guideTitle).click();
      await shows(heading(page, guideTitle));
      // Redoc mounts long pages in parts: read each part of the guide from its own sidebar entry.
      const parts = ['1. Authorise the bucket', '2. Transfer the object', '3. Wait until VOD has finished', '4. Publish it',
        'The whole transfer in TypeScript', 'Rate limits', 'When it fails'];
      let text = '';
      for (const part of parts) {
        await sidebarItem(page, part).click();
        await shows(page.getByRole('heading', { name: part }));
        text += ` ${squash(await page.locator('#api-content').innerText())}`;
      }
      for (const id of guideOperations) {
        const { op, method, path } = byId(id);
        expect(text).toContain(`${method.toUpperCase()} ${path}`);
        const limit = op['x-rate-limit'];
        expect(text).toContain(`${id} ${limit.group} ${limit.perTenantPerMinute} ${limit.overallPerMinute}`);
      }
      expect(text).toContain('await vod.waitForAsset(');
      expect(text).toContain('await vod.updateBucketAuthorized(');
      const statuses = assetStatuses(spec)!;
      expect(statuses.failures).toContain('OBS_CREATE_FAILED');
      for (const status of statuses.failures) expect(text).toContain(`${status} ${statuses.described[status].replaceAll("`", "")}`);
      await sidebarItem(page, 'When it fails').click();
      await page.screenshot({ path: join(screenshots, 'transfer-guide-failures.png') });
      await sidebarItem(page, '3. Wait until VOD has finished').click();
      await page.screenshot({ path: join(screenshots, 'transfer-guide.png') });
      // Its links open the operations.
      await page.locator('#api-content a[href="#/asset-management/showassetmeta"]').first().click();
      await shows(heading(page, byId('ShowAssetMeta').op.summary));
    });

    it('renders Chinese in a real font, not as tofu', async () => {
      await sidebarItem(page, 'Error codes').click();
      const vod10062 = spec['x-error-codes'].find((e: Json) => e.code === 'VOD.10062');
      const cell = page.locator('#api-content td', { hasText: vod10062.message_zh });
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
      //    that no font has (U+10FFFD, private use) and from the others. Tofu boxes are all the same picture.
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
  });

  // Last, so that it covers everything the tests above made the pages do.
  it('made no request to any outside host', () => {
    expect(outside).toEqual([]);
  });
});
