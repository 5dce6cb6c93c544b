import { afterAll, describe, it } from 'vitest';
import { postgresAvailable, testServersOnPostgres } from '../helpers/postgres.ts';

// Erasure once more on PostgreSQL: the attacker's copy then includes a pg_dump of the database.
if (postgresAvailable()) {
  const cluster = await testServersOnPostgres();
  afterAll(() => cluster.destroy());
  await import('./erasure.test.ts');
} else {
  describe.skip('erasure on PostgreSQL', () => it('needs PostgreSQL'));
}
