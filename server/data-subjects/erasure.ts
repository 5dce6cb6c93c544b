import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MAIL_SUFFIX } from '../notifications/mailer.ts';
import type { ActorHost } from '../runtime/host.ts';
import { ERASED, type Erasure, type Sealer, SUBJECT_KEYS, type SubjectKeyRecord } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';

/** What erasing needs: the time, the store, the subject keys, and where emails are kept. */
export interface ErasureContext {
  host: ActorHost;
  store: Store;
  sealer: Sealer;
  mailDir: string;
}

/** How long an erasure waits for the subject's pending effects (the closing cascade) before dropping them. */
const DRAIN_MS = 5000;

/**
 * Destroys the subject's data key (issue 16): every copy sealed with it, in snapshots, outbox
 * payloads, stored answers, cases, webhook events and old journal files, cannot be opened any
 * more; the emails kept under DATA_DIR/mail for the subject are deleted and the member's search
 * tokens dropped. The audit chain is untouched (it holds no personal data, and its hashes cover
 * sealed bytes). `delivering` names the outbox entry carrying out the erasure, if one does: it is
 * not waited for.
 */
export async function eraseSubject(context: ErasureContext, id: string, by: string, delivering?: string): Promise<Erasure> {
  const { host, store, mailDir } = context;
  const pending = async () => (await store.pendingOutbox(id)).filter((entry) => entry.id !== delivering);
  const deadline = Date.now() + DRAIN_MS;
  while ((await pending()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const erasure = { erased_at: host.now(), erased_by: by };
  const tombstone: SubjectKeyRecord = { subject: id, ...erasure };
  // Effects still waiting can never be opened: dead letters at once, not retried for hours.
  const left = (await pending()).map((entry) => ({ ...entry, dead_at: erasure.erased_at, last_error: 'the data subject was erased' }));
  const mails = await store.outboxFor(id, ['email'], 0, 100_000);
  // The blind search tokens go too: with DATA_KEY they could confirm a guessed name or email.
  const actor = await store.getActor(id);
  const unindexed = actor?.search ? [{ actor: { ...actor, search: [] }, expected_version: actor.version }] : [];
  await store.commit({ ...commitOf({ records: [{ collection: SUBJECT_KEYS, id, group: ERASED, value: tombstone }], outbox: left }), actors: unindexed });
  await store.purge(id);
  await Promise.all(mails.data.map((mail) => unlink(join(mailDir, `${mail.id}${MAIL_SUFFIX}`)).catch(() => undefined)));
  return erasure;
}
