import { escapeHtml } from '../../html.ts';

/**
 * The Veriff sandbox's hosted verification page: an ID document photo and a selfie, each from
 * the camera or, with no camera or no permission, from a file input; then upload and submit with
 * the session's token. Plain HTML and an inline script (no build step); every interpolated
 * value is escaped, and the script reads its settings from one escaped data attribute.
 */
export interface SessionView {
  sessionToken: string;
  mediaUrl: string;
  submitUrl: string;
  /** Where the browser goes after submitting; absent when the session has no callback. */
  callback?: string;
  /** `capture` takes the photos, `resubmit` takes them again, `done` has nothing left to do. */
  state: 'capture' | 'resubmit' | 'done';
}

/** Photos are re-encoded to JPEG no larger than this on their longer side, to keep uploads small. */
const MAX_SIDE_PX = 1600;
const REDIRECT_DELAY_MS = 3_000;

const STYLE = `
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { font-family: system-ui, sans-serif; background: #f4f6f9; color: #1d2430; margin: 0; padding: 1rem; line-height: 1.45; }
  main { background: #fff; border-radius: 10px; box-shadow: 0 2px 12px #0002; padding: 1.5rem; max-width: 36rem; margin: 0 auto; }
  @media (min-width: 48rem) { main { max-width: 54rem; padding: 2rem; } .steps { grid-template-columns: 1fr 1fr; } }
  .brand { color: #0a6e7c; font-weight: 700; margin: 0 0 .5rem; }
  .brand span { color: #5b6673; font-weight: 400; font-size: .9rem; }
  h1 { font-size: 1.35rem; margin: 0 0 .5rem; }
  h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
  .hint, .note { color: #4a5561; font-size: .95rem; margin: 0; }
  .note { background: #fff6e0; border-left: 4px solid #f0a500; padding: .6rem .8rem; margin: .75rem 0; color: #1d2430; }
  .steps { list-style: none; padding: 0; margin: 1.25rem 0; display: grid; gap: 1rem; }
  .step { border: 1px solid #d5dbe3; border-radius: 8px; padding: 1rem; min-width: 0; }
  video, .thumb { display: block; width: 100%; max-height: 18rem; object-fit: contain; border-radius: 6px; margin-top: .75rem; }
  video { background: #000; }
  .thumb { background: #eef1f5; }
  .actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: .75rem; }
  button, .button { font: inherit; font-weight: 600; padding: .7rem 1rem; min-height: 44px; border-radius: 6px; border: 0; background: #0a6e7c; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary { background: #e6eaef; color: #1d2430; }
  button:disabled { background: #9aa5b1; cursor: not-allowed; }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  .file { display: grid; gap: .35rem; font-size: .95rem; max-width: 100%; }
  .file input { max-width: 100%; font: inherit; }
  .error { color: #b00020; font-weight: 600; margin: .5rem 0 0; }
  .error:empty { display: none; }
  #submit { width: 100%; font-size: 1.05rem; }
  #submit-status { text-align: center; margin: .5rem 0 0; }
`;

const STEPS = [
  {
    context: 'document-front',
    facing: 'environment',
    title: '1. Your ID document',
    hint: 'The front of your passport, driving licence or ID card: flat, in good light, all four corners in the picture.',
    camera: 'Photograph document with camera',
    shoot: 'Capture document photo',
    file: 'Or choose a photo of your document',
    thumb: 'Your ID document photo',
  },
  {
    context: 'face',
    facing: 'user',
    title: '2. A selfie',
    hint: 'Your face, looking at the camera, without glasses or a hat.',
    camera: 'Take selfie with camera',
    shoot: 'Capture selfie',
    file: 'Or choose a selfie photo',
    thumb: 'Your selfie',
  },
] as const;

export function sessionPage(view: SessionView, nonce: string): string {
  const settings = { sessionToken: view.sessionToken, mediaUrl: view.mediaUrl, submitUrl: view.submitUrl, callback: view.callback ?? null };
  const done = view.state === 'done';
  return layout(
    nonce,
    `<main id="app" data-settings="${escapeHtml(JSON.stringify(settings))}">
  <p class="brand">Veriff <span>Sandbox</span></p>
  <section id="capture" aria-labelledby="capture-title"${done ? ' hidden' : ''}>
    <h1 id="capture-title">Verify your identity</h1>
    <p class="hint">Take a photo of your ID document, then a selfie. Sandbox: nothing is checked against real records and the photos are not stored.</p>
    ${view.state === 'resubmit' ? '<p class="note">We could not verify your last photos. Please take both again.</p>' : ''}
    <ol class="steps">
      ${STEPS.map(stepHtml).join('\n      ')}
    </ol>
    <button type="button" id="submit" disabled>Submit</button>
    <p id="submit-status" class="hint" aria-live="polite">Add both photos to submit.</p>
    <p id="submit-error" class="error" role="alert"></p>
  </section>
  <section id="done" aria-labelledby="done-title" tabindex="-1"${done ? '' : ' hidden'}>
    <h1 id="done-title">Thank you — we are checking your document</h1>
    <p class="hint">This usually takes a moment. You can close this page.</p>
    ${view.callback ? `<p><a class="button" id="back" href="${escapeHtml(view.callback)}">Continue</a></p>` : ''}
  </section>
</main>
<script nonce="${escapeHtml(nonce)}">${SCRIPT}</script>`,
  );
}

export function notFoundPage(nonce: string): string {
  return layout(
    nonce,
    `<main>
  <p class="brand">Veriff <span>Sandbox</span></p>
  <h1>This verification link is not valid</h1>
  <p class="hint">The session does not exist or has ended. Go back to where you started and try again.</p>
</main>`,
  );
}

function stepHtml(step: (typeof STEPS)[number]): string {
  const id = step.context;
  return `<li class="step" data-context="${id}" data-facing="${step.facing}" aria-labelledby="${id}-title">
        <h2 id="${id}-title">${escapeHtml(step.title)}</h2>
        <p class="hint">${escapeHtml(step.hint)}</p>
        <div class="camera" hidden>
          <video playsinline muted aria-label="Camera preview"></video>
          <div class="actions">
            <button type="button" class="shoot">${escapeHtml(step.shoot)}</button>
            <button type="button" class="close-camera secondary">Close camera</button>
          </div>
        </div>
        <img class="thumb" alt="${escapeHtml(step.thumb)}" hidden>
        <div class="actions">
          <button type="button" class="open-camera" hidden>${escapeHtml(step.camera)}</button>
          <label class="file">${escapeHtml(step.file)}
            <input type="file" id="file-${id}" accept="image/*" capture="${step.facing}">
          </label>
        </div>
        <p class="error" role="alert"></p>
      </li>`;
}

function layout(nonce: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Veriff Sandbox – Verify your identity</title>
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
}

/** Runs in the browser; the settings come from the escaped `data-settings` attribute. */
const SCRIPT = `
(() => {
  const settings = JSON.parse(document.getElementById('app').dataset.settings);
  const images = {};
  const hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  const submit = document.getElementById('submit');
  const status = document.getElementById('submit-status');
  const submitError = document.getElementById('submit-error');

  /** Re-encodes an image or video frame as a JPEG data URL, scaled down to ${MAX_SIDE_PX} px. */
  const toJpeg = (source, width, height) => {
    const scale = Math.min(1, ${MAX_SIDE_PX} / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext('2d').drawImage(source, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.85);
  };

  const fileToJpeg = async (file) => {
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return toJpeg(img, img.naturalWidth, img.naturalHeight);
    } finally {
      URL.revokeObjectURL(url);
    }
  };

  const ready = () => Boolean(images['document-front'] && images.face);
  const refresh = () => {
    submit.disabled = !ready();
    status.textContent = ready() ? '' : 'Add both photos to submit.';
  };

  for (const step of document.querySelectorAll('.step')) {
    const context = step.dataset.context;
    const find = (selector) => step.querySelector(selector);
    const camera = find('.camera'), video = find('video'), open = find('.open-camera'), input = find('input[type=file]');
    const thumb = find('.thumb'), error = find('.error');
    let stream = null;

    const stop = () => {
      if (stream) for (const track of stream.getTracks()) track.stop();
      stream = null;
      video.srcObject = null;
      camera.hidden = true;
    };
    const keep = (dataUrl) => {
      images[context] = dataUrl;
      thumb.src = dataUrl;
      thumb.hidden = false;
      error.textContent = '';
      refresh();
    };

    open.hidden = !hasCamera;
    open.addEventListener('click', async () => {
      error.textContent = '';
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: step.dataset.facing }, audio: false });
        video.srcObject = stream;
        await video.play();
        camera.hidden = false;
        find('.shoot').focus();
      } catch {
        // No camera, or permission refused: the file input is the way left.
        stop();
        open.hidden = true;
        error.textContent = 'The camera is not available. Choose or take a photo with the button below instead.';
        input.focus();
      }
    });
    find('.shoot').addEventListener('click', () => {
      if (!video.videoWidth) {
        error.textContent = 'The camera has no picture yet. Wait a moment and try again.';
        return;
      }
      keep(toJpeg(video, video.videoWidth, video.videoHeight));
      stop();
    });
    find('.close-camera').addEventListener('click', stop);
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      try {
        keep(await fileToJpeg(file));
      } catch {
        error.textContent = 'That file could not be read as a photo. Choose a JPEG or PNG image.';
      }
    });
  }

  const send = async (method, url, body) => {
    let res;
    try {
      res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-session-token': settings.sessionToken },
        body: JSON.stringify(body),
      });
    } catch {
      throw Object.assign(new Error('We could not reach the server. Check your connection and try again.'), { status: 0 });
    }
    if (res.ok) return;
    const answer = await res.json().catch(() => ({}));
    const message = typeof answer.message === 'string' ? 'Sending failed: ' + answer.message : 'Sending failed (' + res.status + '). Please try again.';
    throw Object.assign(new Error(message), { status: res.status });
  };

  const finish = () => {
    document.getElementById('capture').hidden = true;
    const done = document.getElementById('done');
    done.hidden = false;
    done.focus();
    if (settings.callback) setTimeout(() => location.assign(settings.callback), ${REDIRECT_DELAY_MS});
  };

  submit.addEventListener('click', async () => {
    submitError.textContent = '';
    submit.disabled = true;
    status.textContent = 'Sending your photos…';
    try {
      for (const context of ['document-front', 'face']) {
        await send('POST', settings.mediaUrl, { image: { context, content: images[context], timestamp: new Date().toISOString() } });
      }
      await send('PATCH', settings.submitUrl, { verification: { status: 'submitted' } });
      finish();
    } catch (err) {
      // 409: an earlier try was submitted though its answer was lost.
      if (err.status === 409) return finish();
      submitError.textContent = err.message;
      refresh();
    }
  });
})();
`;
