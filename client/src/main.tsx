import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { Login } from './pages/Login.tsx';
import { ProviderApp } from './pages/provider/ProviderApp.tsx';
import { SeekerApp } from './pages/seeker/SeekerApp.tsx';
import { navigate, useLocation } from './router.ts';
import { currentSession, homeOf, pageRoles, type Session } from './session.ts';
import './style.css';

// The board draws statecharts with ELK, a large library members never need to download.
const OpsBoard = lazy(() => import('./pages/ops/OpsBoard.tsx').then((m) => ({ default: m.OpsBoard })));
const StaffConsole = lazy(() => import('./pages/staff/StaffConsole.tsx').then((m) => ({ default: m.StaffConsole })));

const pages: Partial<Record<string, (props: { session: Session }) => React.ReactNode>> = {
  '/seeker': SeekerApp,
  '/provider': ProviderApp,
  '/ops': OpsBoard,
  '/staff': StaffConsole,
};

function App() {
  const url = useLocation();
  const session = currentSession();
  const Page = pages[url.pathname];
  const allowed = session && Page && pageRoles[url.pathname].includes(session.role);
  // `/` leads to the signed-in user's view. Sent away from a page, a user is told why: signed out,
  // the sign-in page says what it leads to; signed in with another role, their own page says so.
  const redirect =
    url.pathname === '/login' || allowed
      ? undefined
      : !session
        ? Page
          ? `/login?from=${encodeURIComponent(url.pathname)}`
          : '/login'
        : Page
          ? `${homeOf(session.role)}?denied=${encodeURIComponent(url.pathname)}`
          : homeOf(session.role);
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);
  if (url.pathname === '/login') return <Login from={url.searchParams.get('from')} />;
  if (!allowed) return null;
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Page session={session} />
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
