import { useState, type ReactNode } from 'react';
import { useConnected, useNotifications } from '../live.ts';
import { navigate } from '../router.ts';
import { signOut, type Session } from '../session.ts';
import { when } from '../words.ts';

interface Tab {
  href: string;
  label: string;
  current: boolean;
}

/** The frame of every dashboard: who is signed in, the page's tabs, live status and notifications. */
export function Shell({ session, tabs, children }: { session: Session; tabs: Tab[]; children: ReactNode }) {
  const connected = useConnected();
  const member = session.role === 'seeker' || session.role === 'provider';
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="brand">trustwire</strong>
        <nav aria-label="Sections">
          {tabs.map((tab) => (
            <a
              key={tab.href}
              href={tab.href}
              aria-current={tab.current ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(tab.href);
              }}
            >
              {tab.label}
            </a>
          ))}
        </nav>
        <span className={`live ${connected ? 'on' : 'off'}`} title={connected ? 'Live updates on' : 'Reconnecting…'}>
          {connected ? 'Live' : 'Reconnecting…'}
        </span>
        {member && <Notifications recipient={session.subject} />}
        <span className="who">
          {session.name} <small>({session.role})</small>
        </span>
        <button
          className="link"
          onClick={() => {
            signOut();
            location.assign('/login');
          }}
        >
          Sign out
        </button>
      </header>
      <main>{children}</main>
    </div>
  );
}

function Notifications({ recipient }: { recipient: string }) {
  const { notifications, unread, markRead } = useNotifications(recipient);
  const [open, setOpen] = useState(false);
  return (
    <div className="notifications">
      <button
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          markRead();
        }}
      >
        Notifications {unread > 0 && <span className="badge">{unread}</span>}
      </button>
      {open && (
        <section className="panel" aria-label="Notifications">
          <h2>Notifications</h2>
          {notifications.length === 0 && <p className="muted">Nothing yet.</p>}
          <ul>
            {notifications.map((n) => (
              <li key={n.id}>
                <strong>{n.subject}</strong>
                <p>{n.text}</p>
                <small>{when(n.created_at)}</small>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
