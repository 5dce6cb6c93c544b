import type { ActorView } from '../../api.ts';

/** A member's account name, or their email when they gave none. */
export const memberName = (member: ActorView) =>
  [member.data.first_name, member.data.last_name].filter(Boolean).join(' ') || String(member.data.email ?? member.id);

export function MemberName({ member }: { member: ActorView }) {
  return <>{memberName(member)}</>;
}
