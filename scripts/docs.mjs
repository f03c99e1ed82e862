// Builds the offline API docs, dist/docs/index.html, with Redocly's build-docs (Redoc), from a docs-only copy of
// generated/openapi.json (dist/docs/openapi.json) that adds the error-code table and the code samples.
// The page loads nothing from outside: test/docs/docs.test.ts opens it with every outside request blocked and
// counted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodesMarkdown } from './build.mjs';
import { codeSamples } from './code-samples.mjs';
import { root } from './paths.mjs';

export const docsDir = join(root, 'dist', 'docs');
const template = join(root, 'docs', 'template.hbs');
const config = join(root, 'docs', 'redocly.yaml');
const badge = join(root, 'docs', 'redocly-badge.svg');

// Redoc's sidebar footer shows "API docs by <img>" with the image hard-coded to Redocly's CDN; no option turns it
// off and a template cannot reach inside the script. The build swaps the URLs for a local wordmark (the credit
// stays), and fails if they are gone, so that a Redocly upgrade gets this patch looked at again.
const cdnImages = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];

const errorCodesSection = (catalogue) => `## Error codes

Errors come back as \`{ "error_code", "error_msg" }\` (the gateway adds \`request_id\`). The HTTP status of a code
differs between Huawei's pages, so accept this body with any 4xx or 5xx status; the first status listed is the usual
one. This table is generated from the spec's \`x-error-codes\` catalogue.

${errorCodesMarkdown(catalogue)}
`;

// Redoc 3 shows a security scheme's description only in a per-operation dialog, so the docs repeat every scheme
// (the token, the AK/SK signing steps, X-Project-Id, X-Security-Token) under the description's Authentication
// heading, from the same text.
function schemesMarkdown(schemes) {
  return Object.entries(schemes)
    .map(([name, s]) => {
      // Plain-text headings: Redoc lists them in the sidebar, where inline code would be cut off.
      const where = s.type === 'apiKey' ? `${s.name} ${s.in}` : `HTTP ${s.scheme ?? s.type}`;
      return `### ${name}: ${where}\n\n${s.description.trim()}\n`;
    })
    .join('\n');
}

/** Inserts `text` at the end of the description's `## heading` section, adding the section if it is missing. */
function appendToSection(description, heading, text) {
  const sections = `${description.trimEnd()}\n`.split(/\n(?=## )/);
  const index = sections.findIndex((s) => s.startsWith(`## ${heading}\n`));
  if (index === -1) sections.push(`\n## ${heading}\n\n${text}`);
  else sections[index] = `${sections[index].trimEnd()}\n\n${text}`;
  return sections.join('\n');
}

/**
 * The docs-only spec: the bundle plus, in info.description, the security schemes under Authentication and the
 * error-code table; and x-codeSamples on every operation.
 */
export function docsSpec(bundle) {
  const spec = structuredClone(bundle);
  const description = appendToSection(spec.info.description, 'Authentication', schemesMarkdown(spec.components.securitySchemes));
  spec.info.description = `${description.trimEnd()}\n\n${errorCodesSection(spec['x-error-codes'])}`;
  const samples = codeSamples(spec);
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) {
      if (op?.operationId) op['x-codeSamples'] = samples[op.operationId];
    }
  }
  return spec;
}

function withoutCdnImages(html) {
  const local = `data:image/svg+xml;base64,${readFileSync(badge).toString('base64')}`;
  for (const url of cdnImages) {
    if (!html.includes(url)) throw new Error(`Redoc no longer references ${url}: check the docs for outside requests`);
    html = html.replaceAll(url, local);
  }
  return html;
}

/**
 * Writes `${outDir}/openapi.json` (the docs-only spec) and `${outDir}/index.html`.
 * @returns {{ html: string, spec: string }} the two paths
 */
export function buildDocs({ outDir = docsDir } = {}) {
  mkdirSync(outDir, { recursive: true });
  const bundle = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));
  const specPath = join(outDir, 'openapi.json');
  const htmlPath = join(outDir, 'index.html');
  writeFileSync(specPath, `${JSON.stringify(docsSpec(bundle), null, 2)}\n`);

  // --inlineBundle puts Redoc's script into the page instead of a <script> from cdn.redocly.com.
  const args = ['build-docs', specPath, '-o', htmlPath, '--config', config, '--template', template, '--inlineBundle'];
  execFileSync(join(root, 'node_modules', '.bin', 'redocly'), args, {
    cwd: root,
    // Off for the CLI, and build-docs then also sets Redoc's disableTelemetry, so the page does not report to
    // otel.cloud.redocly.com either.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  const html = withoutCdnImages(readFileSync(htmlPath, 'utf8'));
  if (!html.includes('"disableTelemetry":true')) throw new Error('build-docs did not disable Redoc telemetry');
  writeFileSync(htmlPath, html);
  return { html: htmlPath, spec: specPath };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { html } = buildDocs();
  console.log(`docs written to ${html}`);
}
