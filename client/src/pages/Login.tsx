import { useEffect, useState } from 'react';
import { request } from '../api.ts';
import { Notice } from '../components/Notice.tsx';
import { usePageTitle } from '../page-title.ts';
import { navigate } from '../router.ts';
import { landingOf, pageNames, type Session, signIn } from '../session.ts';
import { useAction } from '../use-action.ts';

interface Choice {
  subject: string;
  role: Session['role'];
  name: string;
  plan?: string | null;
  status?: string;
  /** Who this demo person is and what to try with them. */
  about?: string | null;
}

interface Directory {
  seekers: Choice[];
  providers: Choice[];
  staff: Choice[];
}

/** Development and demo sign-in: pick a member or a staff role; the server issues the session. */
export function Login({ from }: { from: string | null }) {
  const [directory, setDirectory] = useState<Directory>();
  const [unavailable, setUnavailable] = useState(false);
  const action = useAction();
  usePageTitle('Sign in');
  useEffect(() => {
    request<Directory>('GET', '/demo/members').then(setDirectory, () => setUnavailable(true));
  }, []);

  const choose = (choice: Choice) =>
    action.run(async () => {
      const { token } = await request<{ token: string }>('POST', '/demo/sessions', { subject: choice.subject, role: choice.role });
      signIn({ token, subject: choice.subject, role: choice.role, name: choice.name });
      navigate(landingOf(choice.role, from));
    });

  const group = (title: string, choices: Choice[]) => (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <ul className="choices">
        {choices.map((c) => (
          <li key={c.subject}>
            <button type="button" disabled={action.busy} onClick={() => choose(c)} aria-describedby={c.about ? `about-${c.subject}` : undefined}>
              {c.name}
              {c.plan && <small> · {c.plan} plan</small>}
              {c.status === 'closed' && <small> · closed</small>}
            </button>
            {c.about && (
              <p id={`about-${c.subject}`} className="muted about">
                {c.about}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );

  return (
    <main className="login">
      <h1>Sign in to trustwire</h1>
      {from && pageNames[from] && <Notice tone="info">Sign in to open {pageNames[from]}.</Notice>}
      {directory && (
        <p className="muted">
          Pick who you are. Each browser tab keeps its own sign-in, so open a second tab to be the other person: a seeker asks in one, the provider answers in
          the other, and both screens follow live.
        </p>
      )}
      {unavailable && (
        <Notice tone="info">
          Your marketplace signs you in. The development sign-in is available when the server runs with <code>DEMO=1</code>.
        </Notice>
      )}
      {action.error && <Notice>{action.error}</Notice>}
      {directory && (
        <div className="grid">
          {group('Seekers', directory.seekers)}
          {group('Providers', directory.providers)}
          {group('Staff', directory.staff)}
        </div>
      )}
    </main>
  );
}
