import type { ReactNode } from 'react';
import { navigate } from '../../router.ts';

/** A link inside the app: a real `<a>` (open in a new tab works), moving without a reload. */
export function StaffLink({ href, children, className, current }: { href: string; children: ReactNode; className?: string; current?: boolean }) {
  return (
    <a
      href={href}
      className={className}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
