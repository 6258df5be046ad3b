// Renders the spec to one self-contained HTML page with Redocly's `build-docs`: `pnpm docs`
// (default output dist/reference.html; `node scripts/build-docs.mjs OUT.html` writes elsewhere).
//
// By default build-docs loads Redoc's script from Redocly's CDN; `--inlineBundle` embeds it, and the
// page links no fonts, so the reference works offline (opened from disk, or on a network without a
// CDN). The page is checked for that before the command succeeds: no <script src>, <link href> or
// CSS url() pointing at another host.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
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

const html = readFileSync(out, 'utf8');
const external = [
  ...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?\/\/[^"' >]+)/gi),
  ...html.matchAll(/<link\b[^>]*\bhref\s*=\s*["']?((?:https?:)?\/\/[^"' >]+)/gi),
  ...html.matchAll(/@import\s+(?:url\()?["']?((?:https?:)?\/\/[^"') ;]+)/gi),
].map((m) => m[1]);
if (external.length > 0) {
  console.error(`build-docs: ${out} loads resources from other hosts, so it would not work offline:\n  ${external.join('\n  ')}`);
  process.exit(1);
}
console.log(`build-docs: ${out} (${Math.round(html.length / 1024)} KiB, self-contained)`);
