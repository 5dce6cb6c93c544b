import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { Login } from './pages/Login.tsx';
import { ProviderApp } from './pages/provider/ProviderApp.tsx';
import { SeekerApp } from './pages/seeker/SeekerApp.tsx';
import { navigate, useLocation } from './router.ts';
import { currentSession, homeOf, type Session } from './session.ts';
import './style.css';

// The board draws statecharts with ELK, a large library members never need to download.
const OpsBoard = lazy(() => import('./pages/ops/OpsBoard.tsx').then((m) => ({ default: m.OpsBoard })));
const StaffConsole = lazy(() => import('./pages/staff/StaffConsole.tsx').then((m) => ({ default: m.StaffConsole })));

const pages: Record<string, { roles: Session['role'][]; page: (props: { session: Session }) => React.ReactNode }> = {
  '/seeker': { roles: ['seeker'], page: SeekerApp },
  '/provider': { roles: ['provider'], page: ProviderApp },
  '/ops': { roles: ['agent', 'reviewer'], page: OpsBoard },
  '/staff': { roles: ['agent', 'reviewer'], page: StaffConsole },
};

function App() {
  const url = useLocation();
  const session = currentSession();
  const route = pages[url.pathname];
  const allowed = session && route?.roles.includes(session.role);
  // `/` leads to the signed-in user's view; a page of another role leads to the sign-in page.
  const redirect = url.pathname === '/login' || allowed ? undefined : session && !route ? homeOf(session.role) : '/login';
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);
  if (url.pathname === '/login') return <Login />;
  if (!allowed) return null;
  const Page = route.page;
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
