import { candidateResource, invitationResource, reportResource } from '../checks/resources.ts';
import type { Loaded } from '../runtime/host.ts';
import { actorView } from '../runtime/view.ts';
import type { WebhookEvent } from './event.ts';

const INTEGRATOR = { role: 'integrator' } as const;

/**
 * How an actor reads in its webhook events: checks as the Checkr resources an integrator reads
 * back from the API, members and links as the actor view the integrator sees (API.md "Actors").
 */
export function webhookObject(loaded: Loaded): WebhookEvent['object'] {
  switch (loaded.kind.kind) {
    case 'candidate':
      return candidateResource(loaded);
    case 'invitation':
      return invitationResource(loaded);
    case 'report':
      return reportResource(loaded);
    default: {
      const { can: _can, ...view } = actorView(loaded, INTEGRATOR, loaded.actor.updated_at);
      return { ...view, object: loaded.kind.kind, uri: `/v1/actors/${loaded.actor.id}` };
    }
  }
}
