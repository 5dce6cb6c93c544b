import pkg from '../package.json' with { type: 'json' };

/** trustwire's release, as package.json names it. */
export const VERSION = pkg.version;

/** How trustwire introduces itself on the HTTP requests it makes (webhook deliveries). */
export const USER_AGENT = `trustwire/${VERSION}`;
