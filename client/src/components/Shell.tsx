import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useConnected, useNotifications } from '../live.ts';
import { usePageTitle } from '../page-title.ts';
import { navigate, useLocation } from '../router.ts';
import { pageNames, type Session, signOut } from '../session.ts';
import { when } from '../words.ts';
import { Notice } from './Notice.tsx';

interface Tab {
  href: string;
  label: string;
  current: boolean;
}

/**
 * The frame of every dashboard: who is signed in, the page's tabs, live status and notifications.
 * `title` names the view in the browser tab (the current tab's label unless given).
 */
export function Shell({ session, tabs, title, children }: { session: Session; tabs: Tab[]; title?: string; children: ReactNode }) {
  const connected = useConnected();
  usePageTitle(title ?? tabs.find((t) => t.current)?.label ?? 'Dashboard');
  const member = session.role === 'seeker' || session.role === 'provider';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
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
        {member && <Notifications recipient={session.subject} role={session.role} />}
        <span className="who">
          {session.name} <small>({session.role})</small>
        </span>
        <button
          type="button"
          className="link"
          onClick={() => {
            signOut();
            location.assign('/login');
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Denied session={session} />
        {children}
      </main>
    </div>
  );
}

/**
 * Where a notification leads: to the tab where its buttons are (a provider's requests to answer,
 * a seeker's verification), else to the member's background checks.
 */
function notificationTarget(role: Session['role'], template = ''): string {
  if (role === 'provider') return ['new_request', 'request_reminder'].includes(template) ? '/provider' : '/provider?tab=checks';
  return template.startsWith('idv_') ? '/seeker?tab=identity' : '/seeker?tab=checks';
}

/** Why this user landed here instead of the page they asked for (`?denied=/ops`). */
function Denied({ session }: { session: Session }) {
  const denied = useLocation().searchParams.get('denied');
  if (!denied || !pageNames[denied]) return null;
  const page = pageNames[denied];
  const who = denied === '/ops' || denied === '/staff' ? 'staff (agents and reviewers)' : `${denied.slice(1)}s`;
  return (
    <Notice tone="info">
      {page[0].toUpperCase() + page.slice(1)} is for {who}. You are signed in as {session.name} ({session.role}), so here is your own page instead.
    </Notice>
  );
}

/** The notifications button and its panel: Escape, a click outside or the button again close it. */
function Notifications({ recipient, role }: { recipient: string; role: Session['role'] }) {
  const { notifications, unread, markRead } = useNotifications(recipient);
  const [open, setOpen] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!frame.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  return (
    <div className="notifications" ref={frame}>
      <button
        type="button"
        ref={button}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen(!open);
          markRead();
        }}
      >
        Notifications{' '}
        {unread > 0 && (
          <span className="badge">
            {unread}
            <span className="visually-hidden"> new</span>
          </span>
        )}
      </button>
      <section id={panelId} className="panel" aria-label="Notifications" hidden={!open}>
        <h2>Notifications</h2>
        {notifications.length === 0 && <p className="muted">Nothing yet.</p>}
        <ul>
          {notifications.map((n) => (
            <li key={n.id}>
              <a
                href={notificationTarget(role, n.template)}
                onClick={(e) => {
                  e.preventDefault();
                  setOpen(false);
                  navigate(notificationTarget(role, n.template));
                }}
              >
                <strong>{n.subject}</strong>
              </a>
              <p>{n.text}</p>
              <small>{when(n.created_at)}</small>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
