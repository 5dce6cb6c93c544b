import helmet from 'helmet';

/**
 * Security headers on every answer (helmet): a CSP that the built dashboards pass (scripts only
 * from this origin, never inline; the server-rendered pages keep their inline styles), no
 * framing, `nosniff`, and `Referrer-Policy: no-referrer` so no link a page holds leaks in a
 * `Referer`. Pages with their own policy (the Veriff sandbox's hosted page) set a stricter one.
 */
export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
