import { useEffect, useState } from 'react';
import { type ActorView, request } from '../../api.ts';
import { memberName } from './MemberName.tsx';
import { isMemberId } from './routes.ts';

/** Names of members already looked up in this tab: a case list names each subject with one fetch at most. */
const names = new Map<string, Promise<string | undefined>>();

/** The account name of a member id (undefined for other actors, or until it is known). */
export function useSubjectName(id: string): string | undefined {
  const [name, setName] = useState<string>();
  useEffect(() => {
    if (!isMemberId(id)) return;
    let current = true;
    if (!names.has(id))
      names.set(
        id,
        request<ActorView>('GET', `/v1/actors/${encodeURIComponent(id)}`).then(memberName, () => {
          names.delete(id);
          return undefined;
        }),
      );
    void names.get(id)!.then((found) => current && setName(found));
    return () => {
      current = false;
    };
  }, [id]);
  return name;
}
