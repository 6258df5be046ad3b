// Who may use the admin page and /api: a browser on an allowed host name (DNS rebinding: a page on
// evil.example that resolves to 127.0.0.1 sends `Host: evil.example`), from an allowed origin, with
// the admin credential when one is set. The webhook has its own shared secret (webhook.ts).
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { secretMatches } from './webhook-request.js';

/** True for 127.0.0.0/8, ::1 and `localhost`: nobody but this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** The allow-list's default: the listen address (when it is a name a browser can use), localhost, 127.0.0.1. */
export function defaultAllowedHosts(listenHost: string): string[] {
  const hosts = new Set(['localhost', '127.0.0.1']);
  const h = listenHost.replace(/^\[|\]$/g, '').toLowerCase();
  if (h !== '0.0.0.0' && h !== '::') hosts.add(h === '::1' ? '[::1]' : h);
  return [...hosts];
}

/** A Host header's name without the port, lower case: `Example.com:3000` -> `example.com`, `[::1]:80` -> `[::1]`. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(header.trim());
  return m ? m[1]!.toLowerCase() : undefined;
}

export function hostAllowed(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const name = hostName(req.headers.host);
  return name !== undefined && allowed.has(name);
}

/**
 * True for a request a browser sent from another site: Sec-Fetch-Site says so, or the Origin's host
 * name is not on the allow-list (a rebinding page's Origin is its own, `http://evil.example:4140`).
 */
export function crossSite(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    const url = new URL(origin);
    return !allowed.has(url.hostname.toLowerCase()) || url.host !== req.headers.host?.toLowerCase();
  } catch {
    return true; // "null" and anything unparsable
  }
}

export interface AdminCredential {
  user: string;
  password: string;
}

/** Checks `Authorization: Basic ...` against the credential in constant time (user and password together). */
export function basicAuthMatches(header: string | undefined, credential: AdminCredential): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  const presented = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  return secretMatches(presented, `${credential.user}:${credential.password}`);
}

export const BASIC_REALM = 'Basic realm="zcrm-sharing example server", charset="UTF-8"';
