import { useEffect, useRef } from 'react';

/**
 * A verification step's heading. It takes the focus when it appears after the previous step's
 * controls went away (the focus fell back to the page), so keyboard and screen-reader users
 * land on the new step.
 */
export function StepHeading({ id, children }: { id?: string; children: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, []);
  return (
    <h2 id={id} ref={heading} tabIndex={-1}>
      {children}
    </h2>
  );
}
