// Renders the spec to one self-contained HTML page with Redocly's `build-docs`: `./dev reference`
// (default output dist/reference.html; `node scripts/build-docs.mjs OUT.html` writes elsewhere).
//
// Offline by construction: `--inlineBundle` embeds Redoc's script (by default it comes from Redocly's
// CDN), the page links no fonts, and Redoc's hard-wired attribution logo (an <img> from cdn.redoc.ly,
// with no option to turn it off) is replaced by the same credit as an inline SVG wordmark. Then the
// page is checked before the command succeeds: no resource from another host in any URL-bearing
// attribute of the markup (src, srcset, href but on <a>, poster, data, action, background, xlink:href,
// ...), in CSS (url(), @import), or in a src/srcSet/poster property of the inlined script. Links a
// reader follows (<a href>) are not resources and stay. The browser test (test/reference.test.ts)
// checks the rendered page the same way, with every network request refused.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.cwd(), process.argv[2] ?? resolve(pkgDir, 'dist/reference.html'));
const cli = fileURLToPath(new URL('../node_modules/@redocly/cli/bin/cli.js', import.meta.url));

mkdirSync(dirname(out), { recursive: true });
execFileSync(
  process.execPath,
  [cli, 'build-docs', 'zoho-crm-sharing.yaml', '--inlineBundle', '--title', 'Zoho CRM Data Sharing API reference', '--output', out],
  // redocly.yaml (beside the spec) is picked up from the package directory. No telemetry, no update check.
  { cwd: pkgDir, stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
);

/** The attribution as an SVG image of its text (no artwork copied): "Redocly", or "R" when collapsed. */
const wordmark = (text, width) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16"><text x="0" y="12.5" font-family="system-ui,sans-serif" font-size="12" font-weight="600" fill="#7c8896">${text}</text></svg>`,
  )}`;
const LOGOS = [
  ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', wordmark('Redocly', 60)],
  ['https://cdn.redoc.ly/redoc/logo-mini.svg', wordmark('R', 10)],
];
let html = readFileSync(out, 'utf8');
for (const [cdn, inline] of LOGOS) html = html.replaceAll(cdn, inline);
writeFileSync(out, html);

const EXTERNAL = String.raw`(?:https?:)?\/\/[^"'\s>)\x60]+`;
const external = [
  // Markup: every attribute that makes the browser load something. <a> and <area> only navigate.
  ...[...html.matchAll(/<([a-z][\w:-]*)\b([^>]*)>/gi)].flatMap(([, tag, attrs]) =>
    [...attrs.matchAll(new RegExp(String.raw`\b(src|srcset|href|poster|data|action|formaction|background|xlink:href|manifest|icon|longdesc|ping|imagesrcset)\s*=\s*["']?([^"'\s>]+)`, 'gi'))]
      .filter(([, attr]) => !(/^(a|area)$/i.test(tag) && /^(href|ping)$/i.test(attr)))
      .flatMap(([, attr, value]) => value.split(',').map((v) => v.trim().split(/\s+/)[0]).filter((v) => new RegExp(`^${EXTERNAL}$`).test(v)).map((v) => `<${tag} ${attr}> ${v}`)),
  ),
  // CSS, in <style> blocks, style attributes and the script's styled components alike.
  ...[...html.matchAll(new RegExp(String.raw`url\(\s*["']?(${EXTERNAL})`, 'gi'))].map((m) => `url() ${m[1]}`),
  ...[...html.matchAll(new RegExp(String.raw`@import\s+(?:url\()?["']?(${EXTERNAL})`, 'gi'))].map((m) => `@import ${m[1]}`),
  // The inlined React bundle: image and media sources it renders (a literal, or one side of a short
  // conditional such as `src: full ? "https://..." : ...`).
  ...[...html.matchAll(new RegExp(String.raw`\b(src|srcSet|poster)\s*:[^,;{}]{0,40}?["'\x60](${EXTERNAL})`, 'g'))].map((m) => `script ${m[1]}: ${m[2]}`),
];
if (external.length > 0) {
  console.error(`build-docs: ${out} loads resources from other hosts, so it would not work offline:\n  ${[...new Set(external)].join('\n  ')}`);
  process.exit(1);
}
console.log(`build-docs: ${out} (${Math.round(html.length / 1024)} KiB, self-contained)`);
