/** Text safe to put in HTML, inside elements and quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A time in words, `3 December 2026, 05:41 UTC`, which /hosted.js turns into the reader's time
 * zone; `day` for a date alone. Without JavaScript the words stay, in UTC.
 */
export function timeHtml(iso: string, { day = false } = {}): string {
  const at = new Date(iso);
  const words = day
    ? at.toLocaleDateString('en-GB', { dateStyle: 'long', timeZone: 'UTC' })
    : `${at.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
  return `<time datetime="${escapeHtml(iso)}"${day ? ' data-day' : ''}>${escapeHtml(words)}</time>`;
}

/**
 * A server-rendered page (the hosted candidate pages, the 404 page, the error codes): plain HTML
 * and one small style sheet. A page with times gives `script`, the way from it to /hosted.js
 * (relative, such as `../hosted.js`, so that it resolves under a proxy's path prefix too), which
 * shows them in the reader's time zone; `follow`, the page's event stream (a relative URL), has
 * it reload the page's content whenever the stream announces a change.
 */
export function page(title: string, body: string, { follow, script }: { follow?: string; script?: string } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – trustwire</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f6fa; color: #1d2433; margin: 0; }
  main { max-width: 40rem; margin: 2rem auto; background: #fff; border: 1px solid #d9dee7; border-radius: 10px; padding: 1.5rem; }
  label { display: block; margin-top: 0.8rem; font-weight: 600; }
  input[type=text], input[type=date] { width: 100%; box-sizing: border-box; font: inherit; padding: 0.45rem; border: 1px solid #b6bfcc; border-radius: 6px; }
  .hint { color: #5f6b7d; font-size: 0.85rem; font-weight: normal; }
  .check { font-weight: normal; }
  .disclosure { background: #f4f6fa; padding: 0.5rem 1rem; border-radius: 8px; }
  .error { background: #fdecea; color: #b42318; padding: 0.6rem 0.8rem; border-radius: 8px; }
  .error a { color: #b42318; }
  .field-error { color: #b42318; font-weight: 600; margin: 0.2rem 0 0; }
  input[aria-invalid=true] { border-color: #b42318; }
  input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid #2456d6; outline-offset: 2px; }
  button { margin-top: 1.2rem; font: inherit; background: #2456d6; color: #fff; border: 0; border-radius: 6px; padding: 0.6rem 1.2rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }
  dt { color: #5f6b7d; }
  .sandbox-note { display: block; background: #fffbe6; border: 1px dashed #c9a400; border-radius: 8px; padding: 0.4rem 0.75rem; margin: 0.5rem 0; font-size: 0.9rem; }
</style>
</head>
<body><main${follow ? ` data-follow="${escapeHtml(follow)}"` : ''}>${body}</main>${script ? `<script src="${escapeHtml(script)}" defer></script>` : ''}</body>
</html>`;
}
