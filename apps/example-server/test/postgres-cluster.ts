// One throwaway Postgres cluster per test file (@zcrm-sharing/test-support/postgres), started before
// the file's tests and stopped after them; call inside the file's describe.skipIf(!pg.available).
import { startPostgres, type Postgres } from '@zcrm-sharing/test-support/postgres';
import type { Located } from '@zcrm-sharing/test-support/prerequisites';
import { afterAll, beforeAll } from 'vitest';

export function usePostgres(pg: Located, prefix: string): { cluster(): Postgres; newDatabase(): string } {
  let postgres: Postgres | undefined;
  let databases = 0;
  beforeAll(async () => {
    postgres = await startPostgres({ binDir: pg.available ? pg.path : '' });
  }, 120_000);
  afterAll(() => postgres?.stop());
  return {
    cluster: () => postgres!,
    newDatabase: () => postgres!.createDatabase(`${prefix}_${++databases}`),
  };
}
