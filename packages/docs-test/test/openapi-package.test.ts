// The API reference page ships in @zcrm-sharing/openapi: packed exactly as `pnpm publish` would, the
// tarball holds dist/reference.html (the built page, byte for byte) and exports it as
// `@zcrm-sharing/openapi/reference.html`. (openapi/test/reference.test.ts checks the page itself.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ROOT } from '../src/blocks.ts';

const OPENAPI = join(ROOT, 'openapi');
const out = mkdtempSync(join(tmpdir(), 'zcrm-openapi-pack-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('the packed openapi package holds reference.html and exports it', () => {
  const report = execFileSync('pnpm', ['pack', '--json', '--pack-destination', out], { cwd: OPENAPI, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = JSON.parse(report.slice(report.search(/^\{/m))) as { filename: string; files: { path: string }[] };
  expect(packed.files.map((f) => f.path)).toContain('dist/reference.html');
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', packed.filename, 'package/package.json'], { encoding: 'utf8' }));
  expect(manifest.exports['./reference.html']).toBe('./dist/reference.html');
  const page = execFileSync('tar', ['-xzOf', packed.filename, 'package/dist/reference.html'], { maxBuffer: 64 * 1024 * 1024 });
  expect(page.equals(readFileSync(join(OPENAPI, 'dist/reference.html')))).toBe(true);
  expect(page.toString('utf8')).toContain('Zoho CRM Data Sharing API reference');
});
