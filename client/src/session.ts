/** The signed-in user of this tab: a session token issued by the server, kept for the tab's life. */
export interface Session {
  token: string;
  subject: string;
  role: 'seeker' | 'provider' | 'agent' | 'reviewer';
  name: string;
}

const KEY = 'trustwire.session';

export function currentSession(): Session | undefined {
  const stored = sessionStorage.getItem(KEY);
  return stored ? (JSON.parse(stored) as Session) : undefined;
}

export function signIn(session: Session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** The page each role works in. */
export const homeOf = (role: Session['role']) => (role === 'seeker' ? '/seeker' : role === 'provider' ? '/provider' : '/staff');
