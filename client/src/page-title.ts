import { useEffect } from 'react';

/** The browser tab's title for the view on screen: what it is, then the product. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} – trustwire`;
  }, [title]);
}
