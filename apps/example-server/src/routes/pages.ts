// The admin page: three static files from public/, read once at start-up.
import { readFileSync } from 'node:fs';
import type { Route } from '../http/route-table.js';

const PUBLIC_DIR = new URL('../../public/', import.meta.url);
const readPublic = (name: string) => readFileSync(new URL(name, PUBLIC_DIR), 'utf8');

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function pageRoutes(): Route[] {
  const html = readPublic('index.html');
  const js = readPublic('admin.js');
  const css = readPublic('admin.css');
  return [
    { pattern: /^\/$/, methods: { GET: () => ({ status: 200, raw: { data: html, type: 'text/html; charset=utf-8' }, headers: { 'content-security-policy': PAGE_CSP } }) }, admin: true },
    { pattern: /^\/admin\.js$/, methods: { GET: () => ({ status: 200, raw: { data: js, type: 'text/javascript; charset=utf-8' } }) }, admin: true },
    { pattern: /^\/admin\.css$/, methods: { GET: () => ({ status: 200, raw: { data: css, type: 'text/css; charset=utf-8' } }) }, admin: true },
  ];
}
