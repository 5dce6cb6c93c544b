import type { Loaded } from '../runtime/host.ts';

/** Members show each other a first name and an initial, nothing more. */
export function displayName({ snapshot }: Loaded): string {
  const { first_name, last_name, email } = snapshot.context as { first_name?: string; last_name?: string; email: string };
  if (!first_name) return email.split('@')[0];
  return last_name ? `${first_name} ${last_name[0]}.` : first_name;
}
