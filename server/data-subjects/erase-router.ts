import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Router } from 'express';
import { MAIL_SUFFIX } from '../notifications/mailer.ts';
import { forbidden, notFound } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { erasedError, type Sealer, SUBJECT_KEYS, type SubjectKeyRecord } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';

/** The resources that are data subjects (erased and exported), and their actor kinds. */
export const SUBJECT_KINDS = { seekers: 'seeker', providers: 'provider', candidates: 'candidate' } as const;
/** How long an erasure waits for the subject's pending effects (the closing cascade) before dropping them. */
const DRAIN_MS = 5000;

/**
 * `POST /v1/{seekers|providers|candidates}/{id}/erase` (integrator, reviewer; issue 16): closes
 * a member's account if it is open (with its usual cascades, waited for), then destroys the
 * subject's data key: every copy sealed with it, in snapshots, outbox payloads, stored answers,
 * cases, webhook events and old journal files, cannot be opened any more; the emails kept under
 * DATA_DIR/mail for the subject are deleted and the member's search tokens dropped. The audit
 * chain is untouched (it holds no personal data, and its hashes cover sealed bytes).
 */
export function erasureRouter(host: ActorHost, store: Store, sealer: Sealer, mailDir: string) {
  const router = Router();
  for (const [resource, kind] of Object.entries(SUBJECT_KINDS)) {
    router.post(`/${resource}/:id/erase`, async (req, res) => {
      const { role, subject: staff } = req.caller;
      if (role !== 'integrator' && role !== 'reviewer') throw forbidden('Only the integrator and reviewers may erase a data subject.');
      const id = req.params.id;
      const done = sealer.erasure(id);
      if (done) throw erasedError(id, done);
      const loaded = await host.load(id);
      if (!loaded || loaded.kind.kind !== kind) throw notFound(kind);
      const by = staff ? `${role}:${staff}` : role;
      if (kind !== 'candidate' && loaded.actor.status !== 'closed') await host.send(id, { type: 'CLOSE_ACCOUNT' }, { role, subject: staff });
      const deadline = Date.now() + DRAIN_MS;
      while ((await store.pendingOutbox(id)).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const at = host.now();
      const tombstone: SubjectKeyRecord = { subject: id, erased_at: at, erased_by: by };
      // Effects still waiting can never be opened: dead letters at once, not retried for hours.
      const left = (await store.pendingOutbox(id)).map((entry) => ({ ...entry, dead_at: at, last_error: 'the data subject was erased' }));
      const mails = await store.outboxFor(id, ['email'], 0, 100_000);
      // The blind search tokens go too: with DATA_KEY they could confirm a guessed name or email.
      const actor = await store.getActor(id);
      const unindexed = actor?.search ? [{ actor: { ...actor, search: [] }, expected_version: actor.version }] : [];
      await store.commit({ ...commitOf({ records: [{ collection: SUBJECT_KEYS, id, value: tombstone }], outbox: left }), actors: unindexed });
      await store.purge(id);
      await Promise.all(mails.data.map((mail) => unlink(join(mailDir, `${mail.id}${MAIL_SUFFIX}`)).catch(() => undefined)));
      res.json({ id, object: 'erasure', kind, erased_at: at, erased_by: by });
    });
  }
  return router;
}
