import { isMemberId, staffHref } from './routes.ts';
import { StaffLink } from './StaffLink.tsx';
import { useSubjectName } from './use-subject-name.ts';

/** An actor id as a link: a member's page in the console (named), anything else on the operations board. */
export function SubjectLink({ id, label }: { id: string; label?: string }) {
  const name = useSubjectName(label ? '' : id);
  return (
    <StaffLink href={isMemberId(id) ? staffHref.member(id) : staffHref.actor(id)} className="staff-id">
      {label ?? (name ? `${name} (${id})` : <code>{id}</code>)}
    </StaffLink>
  );
}
