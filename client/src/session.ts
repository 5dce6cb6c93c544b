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

/** Who may open each page of the app. */
export const pageRoles: Record<string, Session['role'][]> = {
  '/seeker': ['seeker'],
  '/provider': ['provider'],
  '/ops': ['agent', 'reviewer'],
  '/staff': ['agent', 'reviewer'],
};

/** What a page is called when someone is sent away from it. */
export const pageNames: Record<string, string> = {
  '/seeker': 'the seekers’ dashboard',
  '/provider': 'the providers’ dashboard',
  '/ops': 'the operations board',
  '/staff': 'the staff console',
};

/** Where a user goes after signing in: the page they were sent away from, if their role may open it. */
export const landingOf = (role: Session['role'], from: string | null) => (from && pageRoles[from]?.includes(role) ? from : homeOf(role));
