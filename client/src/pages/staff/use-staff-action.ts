import { ApiError } from '../../api.ts';
import { useAction } from '../../use-action.ts';
import { staffRefusals } from './words.ts';

/** `useAction` with the refusals staff meet put in the console's words. */
export function useStaffAction() {
  const action = useAction();
  const run = (work: () => Promise<unknown>) =>
    action.run(() =>
      work().catch((e: unknown) => {
        if (e instanceof ApiError && staffRefusals[e.code]) throw new Error(staffRefusals[e.code]);
        throw e;
      }),
    );
  return { ...action, run };
}
