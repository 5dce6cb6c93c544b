import { Router } from 'express';
import type { DeadLetter } from '../../contract/index.ts';
import { DEAD_LETTERS, type StoredDeadLetter } from '../effects/outbox.ts';
import { isStaff, staffOrIntegrator } from '../runtime/caller.ts';
import { forbidden, notFound } from '../runtime/errors.ts';
import { commitOf, type Store } from '../store/store.ts';
import { envelope, pageOf } from './list.ts';

const shown = ({ entry: _entry, ...letter }: StoredDeadLetter): DeadLetter => letter;

/**
 * Outbox entries whose retries ran out (`GET /v1/dead_letters`, oldest first), and putting one
 * back for delivery (`POST /v1/dead_letters/{id}/retry`, staff): its attempts start again.
 */
export function deadLettersRouter(store: Store, now: () => string, outboxAdded: () => void) {
  const router = Router();

  router.get('/dead_letters', async (req, res) => {
    staffOrIntegrator(req.caller, 'Dead letters are for staff.');
    const page = pageOf(req);
    const letters = ((await store.listRecords(DEAD_LETTERS, 'dead')) as StoredDeadLetter[]).map(shown);
    res.json(envelope(req, letters.slice(page.offset, page.offset + page.per_page), letters.length, page));
  });

  router.post('/dead_letters/:id/retry', async (req, res) => {
    if (!isStaff(req.caller)) throw forbidden('Only staff retry dead letters.');
    const letter = (await store.getRecord(DEAD_LETTERS, req.params.id)) as StoredDeadLetter | undefined;
    if (!letter || letter.entry.dead_at === undefined) throw notFound('dead letter');
    const at = now();
    const { dead_at: _dead, ...entry } = letter.entry;
    const retried = { ...letter, entry: { ...entry, attempts: 0, due_at: at } };
    await store.commit(commitOf({ outbox: [retried.entry], records: [{ collection: DEAD_LETTERS, id: letter.id, group: 'retried', value: retried }] }));
    outboxAdded();
    res.status(202).json(shown(letter));
  });

  return router;
}
