import { Router } from 'express';

/**
 * The one script of the server-rendered pages (the Content Security Policy admits scripts from
 * this server only, none inline): times in the reader's time zone, and a page with
 * `data-follow` (its event stream) reloading its content on each change the stream announces.
 */
const SCRIPT = `'use strict';
const localTimes = () => {
  for (const t of document.querySelectorAll('time[datetime]')) {
    const at = new Date(t.dateTime);
    if (Number.isNaN(at.getTime())) continue;
    t.textContent = t.hasAttribute('data-day') ? at.toLocaleDateString(undefined, { dateStyle: 'long' }) : at.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
  }
};
const main = document.querySelector('main[data-follow]');
localTimes();
if (main) {
  // EventSource reconnects by itself; each announced change reloads the page's content.
  const reload = async () => {
    const answer = await fetch(location.pathname, { credentials: 'same-origin' }).catch(() => undefined);
    if (!answer || !answer.ok) return;
    const next = new DOMParser().parseFromString(await answer.text(), 'text/html').querySelector('main');
    if (!next) return;
    main.innerHTML = next.innerHTML;
    localTimes();
  };
  new EventSource(main.dataset.follow).addEventListener('changed', reload);
}
`;

export function hostedScript() {
  return Router().get('/hosted.js', (_req, res) => {
    res.type('text/javascript').set('cache-control', 'public, max-age=3600').send(SCRIPT);
  });
}
