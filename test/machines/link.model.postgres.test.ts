import { afterAll, describe, it } from 'vitest';
import { postgresAvailable, testServersOnPostgres } from '../helpers/postgres.ts';

// The model-based link walk once more, against a node on PostgreSQL (SPEC.md P9).
if (postgresAvailable()) {
  const cluster = await testServersOnPostgres();
  afterAll(() => cluster.destroy());
  await import('./link.model.test.ts');
} else {
  describe.skip('link model on PostgreSQL', () => it('needs PostgreSQL'));
}
