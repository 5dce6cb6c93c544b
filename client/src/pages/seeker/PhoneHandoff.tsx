import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { phoneWords as w } from '../../words.ts';

/** A computer (a fine pointer that hovers) rather than a phone or tablet. */
const onComputer = () => window.matchMedia('(hover: hover) and (pointer: fine)').matches;

/** I5, seed 003: the document and selfie step needs a smartphone camera; said before the step starts. */
export function PhoneNeeded() {
  return (
    <p className="notice info" data-testid="phone-needed">
      <strong>{w.neededTitle}</strong> {w.needed}
    </p>
  );
}

/**
 * On a computer, the Veriff step continues on a phone: a QR code and a link to the same Veriff
 * session (Veriff's own hand-off works this way), so the photos are taken with the phone's camera.
 */
export function PhoneHandoff({ sessionUrl }: { sessionUrl: string }) {
  const [qr, setQr] = useState<string>();
  const href = new URL(sessionUrl, window.location.origin).href;
  useEffect(() => {
    if (!onComputer()) return;
    let current = true;
    QRCode.toDataURL(href, { margin: 1, width: 192 }).then((url) => current && setQr(url));
    return () => {
      current = false;
    };
  }, [href]);
  if (!qr) return null;
  return (
    <div className="phone-handoff" data-testid="phone-handoff">
      <p>
        <strong>{w.handoffTitle}</strong> {w.handoff}
      </p>
      <img src={qr} width={192} height={192} alt={w.qrAlt} data-url={href} />
      <p className="muted">
        {w.orLink} <a href={href}>{href}</a>
      </p>
    </div>
  );
}
