// The throwaway cluster: starts on a free port, answers SQL, creates databases, and is gone after stop().
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prerequisite } from '../src/prerequisites.ts';
import { startPostgres } from '../src/postgres.ts';

const pg = prerequisite('postgres');

describe.skipIf(!pg.available)('startPostgres', () => {
  it('a running cluster on 127.0.0.1 that psql reaches; stop() ends it', async () => {
    const binDir = pg.available ? pg.path : '';
    const server = await startPostgres({ binDir });
    const psql = (url: string, sql: string) => execFileSync(join(binDir, 'psql'), [url, '-At', '-c', sql], { encoding: 'utf8' }).trim();
    try {
      expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
      expect(psql(server.url, 'select 1 + 1')).toBe('2');
      const url = server.createDatabase('queue_test');
      expect(psql(url, 'select current_database()')).toBe('queue_test');
    } finally {
      server.stop();
    }
    expect(() => psql(server.url, 'select 1')).toThrow();
    server.stop(); // twice is fine
  }, 60_000);
});

describe.skipIf(!pg.available)('faults for the throwaway cluster', () => {
  it('restart() drops every connection and comes back on the same port with the data; stopServer() refuses connections until startServer()', async () => {
    const binDir = pg.available ? pg.path : '';
    const server = await startPostgres({ binDir });
    const psql = (sql: string) => execFileSync(join(binDir, 'psql'), [server.url, '-At', '-c', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    try {
      psql('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
      const before = psql('select pg_postmaster_start_time()');
      await server.restart();
      expect(psql('select pg_postmaster_start_time()')).not.toBe(before);
      expect(psql('select n from kept')).toBe('42');
      await server.stopServer();
      expect(() => psql('select 1')).toThrow(/connection|refused|server/i);
      await server.startServer();
      expect(psql('select n from kept')).toBe('42');
    } finally {
      server.stop();
    }
  }, 120_000);
});
