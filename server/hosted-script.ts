import { Router } from 'express';

/**
 * The one script of the server-rendered pages (the Content Security Policy admits scripts from
 * this server only, none inline): times in the reader's time zone, and a page marked
 * `data-follow` fetching itself every 2 s to show changes without a reload.
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
let shown = main ? main.innerHTML : '';
localTimes();
if (main) {
  setInterval(async () => {
    const answer = await fetch(location.pathname, { credentials: 'same-origin' }).catch(() => undefined);
    if (!answer || !answer.ok) return;
    const next = new DOMParser().parseFromString(await answer.text(), 'text/html').querySelector('main');
    if (!next || next.innerHTML === shown) return;
    shown = next.innerHTML;
    main.innerHTML = shown;
    localTimes();
  }, 2000);
}
`;

export function hostedScript() {
  return Router().get('/hosted.js', (_req, res) => {
    res.type('text/javascript').set('cache-control', 'public, max-age=3600').send(SCRIPT);
  });
}
