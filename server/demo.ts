import { seeker as seekerKind } from '../machines/seeker.ts';
import { importedSeeker } from './idv/imported.ts';
import { type ActorHost, newActorId } from './runtime/host.ts';
import type { Store } from './store/store.ts';

const BY = { role: 'system' };

/** Who each demo member is and what to try with them, shown on the development sign-in page. */
export const DEMO_ABOUT: Record<string, string> = {
  'lena.legacy@example.com': 'Legacy plan: messages and books providers without identity verification, and may verify voluntarily (Identity tab).',
  'sam.starter@example.com':
    'Starter plan: verifies their identity before messaging or booking. Try Identity → Start verification with a phone ending in 01 (SMS code 123456), 00 (passes at once) or 99 (goes on to the ID photo and selfie).',
  'casey.complete@example.com':
    'Complete plan, verified with Prove before trustwire: open a provider and request a continuous background check, then answer it as Paula in another tab.',
  'paula.nanny@example.com':
    'Provider: answers monitoring requests on the Requests tab and sees who monitors them under Background Check. Sign in as Paula in a second tab while Casey asks.',
  'peter.tutor@example.com': 'Provider, like Paula: another one for Casey to ask (a seeker monitors at most 3).',
  'priya.carer@example.com': 'Provider, like Paula.',
  'pablo.sitter@example.com': 'Provider, like Paula.',
};

/** Demo members for an empty store (`DEMO=1`, the default of `npm start`): one seeker per plan, a few providers. */
export async function seedDemo(store: Store, host: ActorHost): Promise<boolean> {
  const existing = await store.listActors({ offset: 0, limit: 1 });
  if (existing.count > 0) return false;
  const seekers = [
    { email: 'lena.legacy@example.com', plan: 'legacy', first_name: 'Lena', last_name: 'Legacy' },
    { email: 'sam.starter@example.com', plan: 'starter', first_name: 'Sam', last_name: 'Starter' },
  ];
  // Casey verified with Prove before trustwire, so the monitoring story can start at once (I6).
  const casey = { email: 'casey.complete@example.com', plan: 'complete', first_name: 'Casey', last_name: 'Complete', phone: '+1 555 010 0100' } as const;
  const caseyLegal = { legal_first_name: 'Casey', legal_last_name: 'Complete', dob: '1986-04-12', address: '12 Main Street, Springfield', phone: casey.phone };
  const providers = [
    { email: 'paula.nanny@example.com', first_name: 'Paula', last_name: 'Nanny' },
    { email: 'peter.tutor@example.com', first_name: 'Peter', last_name: 'Tutor' },
    { email: 'priya.carer@example.com', first_name: 'Priya', last_name: 'Carer' },
    { email: 'pablo.sitter@example.com', first_name: 'Pablo', last_name: 'Sitter' },
  ];
  for (const seeker of seekers) await host.create('seeker', seeker, BY);
  const caseyId = newActorId(seekerKind);
  const imported = importedSeeker(
    caseyId,
    casey,
    caseyLegal,
    { vendor: 'prove', reference: 'demo-prove-casey', verified_at: '2026-01-05T10:00:00Z' },
    host.now(),
  );
  await host.create('seeker', imported.input, BY, caseyId, imported.records);
  for (const provider of providers) await host.create('provider', provider, BY);
  return true;
}
