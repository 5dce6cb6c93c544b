import { candidate } from './candidate.ts';
import { invitation } from './invitation.ts';
import type { ActorKind } from './kind.ts';
import { link } from './link.ts';
import { provider } from './provider.ts';
import { report } from './report.ts';
import { seeker } from './seeker.ts';

export const kinds: Record<string, ActorKind> = { seeker, provider, link, candidate, invitation, report } as Record<string, ActorKind>;

export function kindOfId(id: string): ActorKind | undefined {
  return Object.values(kinds).find((k) => id.startsWith(k.prefix));
}
