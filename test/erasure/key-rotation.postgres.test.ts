import { afterAll, describe, it } from 'vitest';
import { postgresAvailable, testServersOnPostgres } from '../helpers/postgres.ts';

// Rotation once more on PostgreSQL (the key records are rows of the shared database).
if (postgresAvailable()) {
  const cluster = await testServersOnPostgres();
  afterAll(() => cluster.destroy());
  await import('./key-rotation.test.ts');
} else {
  describe.skip('key rotation on PostgreSQL', () => it('needs PostgreSQL'));
}
