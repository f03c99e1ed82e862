// The built docs in a real browser, opened from disk (file://) and from a local 127.0.0.1 server, with every
// request to an outside host blocked and counted. What a reader must be able to rely on: every operation of the
// spec (read from the spec, not listed here) renders under its tag with its curl and TypeScript samples, and no
// sample line runs into the block's right edge; the request body shows no optional field as required and states
// each cross-field rule as a condition and what it requires, and byte limits only as bytes; the samples follow the
// selected example and call a region where the operation works; the navigation is the spec's tags in order, before
// the guide and the reference; text pages (landing, guide, error codes) use the page's width and the error-code
// table reads at 1280 px; copied links open their section; search snippets read as sentences and an error code finds
// its row; the transfer guide is there; Chinese renders in a real font; and nothing is loaded from outside.
//
// Opening 83 operations one by one through the sidebar took minutes; the test loads the page once and moves by
// hash (as a copied link does) in a tall viewport, and reads every operation section that Redoc has rendered around
// the target in one evaluate, so that a navigation checks several operations.
//
// DOCS_UNDER_TEST=<path to an index.html> runs the checks against an existing build instead of building one
// (how the checks were shown to fail on the build before issue 12).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { allSamples, operations, operationServer, parametersOf } from '../../scripts/code-samples.mjs';
import { assetStatuses, guideOperations, guideTitle, operationHref } from '../../scripts/docs-guide.mjs';
import { ruleSentences } from '../../scripts/docs-rules.mjs';
import { buildDocs, docsSpec, listedOperations, tagDisplayName } from '../../scripts/docs.mjs';
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
/** The section id Redoc gives an operation: "upload/publishassetfromobs". */
const anchorOf = (op: Json) => (operationHref(op) as string).slice(2);
const byAnchor = new Map(ops.map((o) => [anchorOf(o.op), o]));
const methodOf = (op: Json) => op.operationId[0].toLowerCase() + op.operationId.slice(1);
/** How close a sample's text may come to the right edge of its block: as close as the left gap, at least. */
const MIN_RIGHT_GAP = 8;
/** Markdown to the text a reader sees: `code` loses its backticks. */
const plain = (markdown: string) => markdown.replaceAll('`', '');
/** Text as the browser lays it out, whitespace collapsed. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.skipIf(!haveChromium)(`API docs in Chromium (${executablePath})`, { timeout: 150_000 }, () => {
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

  /**
   * Opens an operation as a copied link does (by its hash; Redoc's router scrolls to it and renders it) and returns
   * its section once its heading and its sample are shown.
   */
  async function openOperation(page: Page, id: string): Promise<Locator> {
    const { op } = byId(id);
    const anchor = anchorOf(op);
    const again = await page.evaluate((hash) => {
      if (location.hash === hash) return true;
      location.hash = hash;
      return false;
    }, `#/${anchor}`);
    const section = page.locator(`[id="${anchor}"]`);
    // The same hash again is no navigation: bring the section back by hand.
    if (again) await section.evaluate((e) => e.scrollIntoView());
    // Polled every 50 ms: a locator's wait backs off to a second between looks, which cost more than the
    // navigations themselves.
    await page.waitForFunction(
      (anchor) => {
        const target = document.getElementById(anchor);
        const code = target?.querySelector('.panel-request-samples [data-testid="source-code"]');
        if (!target || !code?.getBoundingClientRect().width) return false;
        const { top, bottom } = target.getBoundingClientRect();
        return top < innerHeight && bottom > 0;
      },
      anchor,
      { polling: 50 },
    );
    await shows(section.locator('h1, h2').filter({ hasText: op.summary }));
    await shows(sampleCode(section));
    return section;
  }

  /** What a reader sees of an operation section, read in the page. */
  type Rendered = { anchor: string; heading: string; language: string; sample: string; deprecated: number; rightGap: number; widest: string };

  /**
   * Every operation section that Redoc has rendered with its samples (those around the last navigation's target): its
   * heading, the sample panel's language and text, its "Deprecated" badges, and the smallest gap between a sample
   * line's text and the right edge of the code block (the text's own boxes, as laid out, wrapped lines included).
   * Text is read as textContent: Redoc's sections have content-visibility: auto, so innerText is empty off screen
   * (a script's layout query still lays them out, so the boxes are real).
   */
  const renderedOperations = (page: Page, skip: string[] = []): Promise<Rendered[]> =>
    page.evaluate((skip) =>
      [...document.querySelectorAll<HTMLElement>('[data-item-kind="httpItem"]')].filter((s) => !skip.includes(s.id)).flatMap((section) => {
        const panel = section.querySelector('.panel-request-samples');
        const code = panel?.querySelector<HTMLElement>('[data-testid="source-code"]');
        if (!panel || !code || !code.getBoundingClientRect().width) return [];
        const buttons = panel.querySelectorAll('[data-component-name="Panel/PanelHeader"] > [data-component-name="Dropdown/Dropdown"] > button');
        const right = code.getBoundingClientRect().right;
        let rightGap = Infinity;
        let widest = '';
        for (const line of code.querySelectorAll('.th-line')) {
          const range = document.createRange();
          range.selectNodeContents(line);
          for (const rect of range.getClientRects()) {
            if (rect.width && right - rect.right < rightGap) {
              rightGap = right - rect.right;
              widest = line.textContent ?? '';
            }
          }
        }
        const badges = [...section.querySelectorAll('[data-component-name="Tag/Tag"]')].filter((t) => /^deprecated$/i.test(t.textContent?.trim() ?? ''));
        return [{
          anchor: section.id,
          heading: section.querySelector('h1, h2')?.textContent ?? '',
          language: buttons[buttons.length - 1]?.textContent?.trim() ?? '',
          sample: code.textContent ?? '',
          deprecated: badges.length,
          rightGap,
          widest,
        }];
      }),
    skip);

  /**
   * Opens every operation of `subset` (all of them by default) with the sample language set to `language`, and returns
   * what was rendered of each, by operationId. A navigation reads all the sections rendered around its target, so an
   * operation already read is not opened again.
   */
  async function readOperations(page: Page, language: 'curl' | 'TypeScript', subset = ops): Promise<Map<string, Rendered>> {
    const seen = new Map<string, Rendered>();
    // Redoc keeps one sample language for every operation: choosing it once is enough (at the usual height, where
    // its menu opens inside the viewport).
    await chooseLanguage(page, await openOperation(page, subset[0]!.op.operationId), language);
    // Redoc renders the sample panels of the sections within reach of the viewport: a tall one (the same width, so
    // the same layout) has it render several operations around each target, and 83 operations take about 25
    // navigations per language instead of 83 (2,500 px: taller ones render more per navigation but take longer).
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: viewport.width, height: 2_500 });
    try {
      for (const { op } of subset) {
        if (seen.has(op.operationId)) continue;
        await openOperation(page, op.operationId);
        for (const r of await renderedOperations(page, [...seen.values()].map((v) => v.anchor))) {
          const entry = byAnchor.get(r.anchor);
          if (entry && r.language === language && subset.includes(entry)) seen.set(entry.op.operationId, r);
        }
        if (!seen.has(op.operationId)) {
          const found = (await renderedOperations(page)).find((r) => r.anchor === anchorOf(op));
          throw new Error(`${op.operationId}: its section and ${language} sample were not rendered: ${JSON.stringify(found)}`);
        }
      }
    } finally {
      await page.setViewportSize(viewport);
    }
    return seen;
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

      it('renders operations under their tags, with curl first', async () => {
        // One operation of each tag, last tag first; the file:// tests below open every operation.
        const subset = [...new Map(ops.map((o) => [o.op.tags[0], o])).values()].reverse();
        const section = await openOperation(page, subset[0]!.op.operationId);
        // curl is the first language, shown before any choice.
        expect((await sampleCode(section).innerText()).startsWith('# TOKEN')).toBe(true);
        const read = await readOperations(page, 'curl', subset);
        for (const { op } of subset) {
          const r = read.get(op.operationId)!;
          expect(r.anchor.startsWith(`${op.tags[0].toLowerCase().replace(/\W+/g, '-')}/`), op.operationId).toBe(true);
          expect(r.sample, op.operationId).toBe(samples[op.operationId]!.curl[0]);
        }
      });

      it('lists the spec\'s tags in order first in the sidebar, named as Huawei\'s contents, then the guide and the reference', async () => {
        const labels = (await page.locator('[data-component-name="Menu/MenuItem"]').allInnerTexts()).map(squash);
        const first = (name: string) => labels.findIndex((l) => l === name || l.startsWith(`${name} `));
        // Every tag an operation uses, in the spec's order (Huawei's table of contents), each with its Chinese name.
        const used = new Set(ops.map((o) => o.op.tags[0] as string));
        const tags = (spec.tags as Json[]).filter((t) => used.has(t.name));
        expect(tags.length, 'every tag an operation uses is declared').toBe(used.size);
        const names = tags.map((t) => tagDisplayName(t) as string);
        for (const name of names) expect(name, 'a tag without its Chinese name').toMatch(/\([^)]*\p{Script=Han}/u);
        const positions = names.map(first);
        for (const [i, name] of names.entries()) expect(positions[i], `"${name}" in the sidebar: ${labels.join(' | ')}`).not.toBe(-1);
        expect([...positions].sort((a, b) => a - b), 'the tags in the spec\'s order').toEqual(positions);
        // The guides (transfer, upload, offline tests) and the reference after the operations.
        for (const section of ['Authentication', 'Vendor extensions', 'Error codes', guideTitle, 'Upload a video', 'Test your code offline']) {
          expect(first(section), section).toBeGreaterThan(Math.max(...positions));
        }
        // A tag opens from the sidebar and lists its operations (the tag stays open when it already is).
        const { op } = ops.find((o) => o.op.tags[0] === tags.at(-1).name)!;
        const item = sidebarItem(page, op.summary);
        if (!(await item.isVisible())) await sidebarItem(page, names.at(-1)!).click();
        await item.click();
        await shows(page.locator(`[id="${anchorOf(op)}"] h2`).filter({ hasText: op.summary }));
        // Its operations in the docs' order (Huawei's contents first), as the sidebar lists them.
        const expected = (listedOperations(docsSpec(spec)) as { op: Json }[]).filter((o) => o.op.tags[0] === op.tags[0]).map((o) => o.op.summary as string);
        const listed = (await page.locator('[data-component-name="Menu/MenuItem"]').allInnerTexts()).map(squash);
        const at = (summary: string) => listed.findIndex((l) => l.startsWith(summary));
        expect(expected.map(at)).not.toContain(-1);
        expect(expected.map(at), 'sidebar order').toEqual([...expected.map(at)].sort((a, b) => a - b));
      });

      it('PublishAssetFromObs: the default view marks exactly the required fields required, and states every rule', async () => {
        const section = await openOperation(page, 'PublishAssetFromObs');
        const schema = deref(byId('PublishAssetFromObs').op.requestBody.content['application/json'].schema);
        const marked = await section.locator('.schema-property-item').evaluateAll((items) =>
          items
            .filter((item) => /\/t=request&path=[^.&]+$/.test(decodeURIComponent(item.id))) // body fields, not parameters
            // Top-level fields only: an expanded object's fields (input's bucket, location, object) are nested items.
            .filter((item) => !item.parentElement?.closest('.schema-property-item'))
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

    it('shows every operation of the spec: its heading, both samples, Deprecated only on the deprecated', async () => {
      expect(ops.length).toBeGreaterThanOrEqual(83);
      const started = Date.now();
      const curl = await readOperations(page, 'curl');
      const typescript = await readOperations(page, 'TypeScript');
      await chooseLanguage(page, await openOperation(page, ops[0]!.op.operationId), 'curl');
      for (const { op, path } of ops) {
        const id = op.operationId;
        const [c, t] = [curl.get(id)!, typescript.get(id)!];
        expect(squash(c.heading).startsWith(op.summary), id).toBe(true);
        expect(c.deprecated, `${id}: Deprecated badges`).toBe(op.deprecated ? 1 : 0);
        expect(c.sample, id).toBe(samples[id]!.curl[0]);
        expect(t.sample, id).toBe(samples[id]!.typescript[0]);
        expect(t.sample, id).toContain(`await vod.${methodOf(op)}(`);
        // The account ID goes to the client for the {domain_id} paths, and only for those.
        expect(t.sample.includes("domainId: '<domain_id>'"), id).toBe(path.includes('{domain_id}'));
        // No sample line runs into the right edge of its block: the text keeps a gap there, as it does on the left.
        for (const r of [c, t]) {
          expect(r.rightGap, `${id} ${r.language}: "${r.widest}" ends ${r.rightGap.toFixed(1)} px from the right edge`).toBeGreaterThanOrEqual(MIN_RIGHT_GAP);
        }
      }
      console.log(`docs: ${ops.length} operations read in both languages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    it('calls an operation without input with no argument, in the page too', async () => {
      const bare = ops.find(({ op, path, pathItem }) =>
        !op.requestBody && !path.includes('{domain_id}') && !parametersOf(spec, op, pathItem).some((p: Json) => p.in === 'query'));
      expect(bare, 'an operation with neither a body nor query parameters').toBeDefined();
      const section = await openOperation(page, bare!.op.operationId);
      await chooseLanguage(page, section, 'TypeScript');
      expect(await sampleCode(section).innerText()).toContain(`await vod.${methodOf(bare!.op)}();`);
      await chooseLanguage(page, section, 'curl');
    });

    it('shows byte limits as bytes only, never as characters', async () => {
      const { op } = byId('PublishAssetFromObs');
      const schema = deref(op.requestBody.content['application/json'].schema);
      const limited = Object.entries<Json>(schema.properties).filter(([, p]) => deref(p)['x-max-bytes'] !== undefined);
      expect(limited.map(([name]) => name)).toEqual(expect.arrayContaining(['title', 'description']));
      const section = await openOperation(page, 'PublishAssetFromObs');
      for (const [name, p] of limited) {
        const bytes = deref(p)['x-max-bytes'];
        const field = section.locator('.schema-property-item').filter({ has: page.locator('.schema-name', { hasText: new RegExp(`^${name}$`) }) }).first();
        const text = squash(await field.innerText());
        expect(text, name).toContain(`${bytes} bytes`);
        expect(text, name).not.toMatch(/characters/);
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

    // One retry: under a heavy load (CI on two cores) the click can land before Redoc has laid the section out.
    it('has the full error-code table across the page\'s width at 1280 px, headers on one line, nothing cut', { retry: 1 }, async () => {
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
      // The page's width: the table spans most of the content area (it was squeezed into a 400 px middle column).
      const content = (await page.locator('#api-content').boundingBox())!;
      expect(box.width / content.width, 'table width / content width').toBeGreaterThan(0.8);
      // Each header on one line: "HTTP status" as tall as "Code" (it wrapped to "HTTP / statu / s").
      const heights = await wrapper.locator('th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().height));
      expect(new Set(heights).size, `header heights ${heights}`).toBe(1);
      const line = await wrapper.locator('th').first().evaluate((th) => parseFloat(getComputedStyle(th).lineHeight) + parseFloat(getComputedStyle(th).paddingTop) + parseFloat(getComputedStyle(th).paddingBottom));
      expect(heights[0]).toBeLessThanOrEqual(line + 2);
      // And so the page is a fraction of the 14,575 px it was.
      const height = await page.locator('[data-section-id="/error-codes"]').evaluate((e) => e.getBoundingClientRect().height);
      expect(height).toBeLessThan(8_000);
      await page.screenshot({ path: join(screenshots, 'error-codes.png') });
    });

    it('uses the page\'s width for the text pages: the landing section, the guide and the error codes', async () => {
      const content = (await page.locator('#api-content').boundingBox())!;
      const widthOf = async (locator: Locator) => (await locator.first().boundingBox())!.width / content.width;
      await sidebarItem(page, spec.info.title).click();
      const landing = page.locator('[data-section-id="/"] [data-component-name="Markdown/Markdown"]');
      await shows(landing);
      expect(await widthOf(landing), 'landing text').toBeGreaterThan(0.8);
      await page.screenshot({ path: join(screenshots, 'landing.png') });
      await sidebarItem(page, guideTitle).click();
      const guide = page.locator(`[id="${guideTitle.toLowerCase().replace(/\W+/g, '-')}"] [data-component-name="Markdown/Markdown"]`);
      await shows(guide);
      expect(await widthOf(guide), 'guide text').toBeGreaterThan(0.8);
      await sidebarItem(page, '2. Transfer the object').click();
      const code = page.locator('#api-content [data-component-name="Markdown/Markdown"] pre').filter({ hasText: 'curl -X POST' });
      await shows(code);
      expect(await widthOf(code), "the guide's code").toBeGreaterThan(0.8);
      await sidebarItem(page, 'Error codes').click();
      const intro = page.locator('[data-section-id="/error-codes"] [data-component-name="Markdown/Markdown"]');
      await shows(intro);
      expect(await widthOf(intro), 'error codes text').toBeGreaterThan(0.8);
      // Operations keep their samples on the right.
      const section = await openOperation(page, 'PublishAssetFromObs');
      const withSamples = section.locator('[data-testid="middle-panel"]:has(+ [data-testid="right-panel"] .panel-request-samples)');
      expect(await widthOf(withSamples)).toBeLessThan(0.6);
    });

    /** Closes the search dialog that a search test opened, also when it failed, so that the next test can click. */
    async function closeSearch() {
      const dialog = page.locator('[data-testid="search-dialog"]');
      if (await dialog.isVisible()) await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }

    it('finds an operation with the search box, and shows snippets that read as sentences', async () => {
      onTestFinished(closeSearch);
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
      // Words on both sides of a line break of the spec's prose keep their space ("with the", not "withthe"): the
      // first operation description with a break between two words, searched for by those words.
      const wrapped = ops
        .map(({ op }) => /(?:^|\s)([a-z]{3,})\n\s*([a-z]{3,})\s+([a-z]{3,})/.exec(op.description ?? ''))
        .find(Boolean)!;
      expect(wrapped, 'a description wrapped between two words').toBeTruthy();
      const [, before, after, next] = wrapped;
      await input.fill(`${before} ${after} ${next}`);
      const snippets = page.locator('[data-component-name="Search/SearchItem"]');
      await shows(snippets);
      await expect.poll(async () => (await snippets.allInnerTexts()).map(squash).join('\n')).toContain(`${before} ${after}`);
      for (const item of await snippets.allInnerTexts()) expect(squash(item)).not.toContain(`${before}${after}`);
      await page.screenshot({ path: join(screenshots, 'search.png') });
      await input.fill('smart cover');
      await hit.click();
      await shows(heading(page, byId('CreateSmartCover').op.summary));
    });

    it('finds an error code\'s row: the table\'s entry first among the results, and choosing it shows the row', async () => {
      onTestFinished(closeSearch);
      const entry = spec['x-error-codes'].find((e: Json) => e.code === 'VOD.10062');
      // Operations whose examples carry the code are found too: without them the test would prove nothing.
      expect(JSON.stringify(spec.paths)).toContain('VOD.10062');
      await page.getByText('Search Ctrl+K').click();
      const input = page.getByPlaceholder('Search docs...');
      for (const query of ['10062', 'vod.10062']) {
        await input.fill(query);
        const items = page.locator('[data-component-name="Search/SearchItem"]');
        await shows(items.filter({ hasText: entry.message }));
        // Shown first: the topmost result on screen (the list is in visual order, not necessarily DOM order).
        const top = await items.evaluateAll((all) =>
          all.map((e) => ({ top: e.getBoundingClientRect().top, text: (e as HTMLElement).innerText })).sort((a, b) => a.top - b.top)[0]!.text);
        expect(squash(top), query).toContain(`${entry.code} ${entry.status.join(', ')} ${entry.message}`);
        expect(squash(top).startsWith('Error codes'), query).toBe(true);
      }
      await page.locator('[data-component-name="Search/SearchItem"][href="#/error-codes"]').click();
      const row = page.locator('[data-section-id="/error-codes"] tbody tr').filter({ hasText: entry.code });
      await expect.poll(() => row.evaluate((r) => {
        const { top, bottom } = r.getBoundingClientRect();
        return top >= 0 && bottom <= innerHeight;
      }), { timeout: 6_000 }).toBe(true);
      await page.screenshot({ path: join(screenshots, 'search-error-code.png') });
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
