import express, { type RequestHandler } from 'express';
import { DomainError } from '../runtime/errors.ts';

/**
 * Request bodies as trustwire takes them: identity-encoded JSON or forms, bounded in size, in
 * parameters and in nesting, so nothing that hashes or validates a body walks it without end.
 */
export const MAX_DEPTH = 32;
const MAX_PARAMETERS = 1000;

/** Compressed request bodies are not taken anywhere (415), before any parser tries to inflate one. */
export const identityEncodingOnly: RequestHandler = (req, _res, next) => {
  const encoding = req.get('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return next(new DomainError('unsupported_media_type', 'Send the body uncompressed (no Content-Encoding).'));
  next();
};

/** The deepest nesting of arrays and objects in JSON text, read byte by byte (nothing recursive). */
export function jsonDepth(text: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}

export function jsonBody(limit: string): RequestHandler {
  return express.json({
    limit,
    inflate: false,
    verify: (_req, _res, buffer) => {
      if (jsonDepth(buffer) > MAX_DEPTH) throw new DomainError('invalid_request', `The body nests deeper than ${MAX_DEPTH} levels.`);
    },
  });
}

/** Checkr's clients send form bodies by default (CHECKR.md "Conventions"). */
export function formBody(limit: string): RequestHandler {
  // body-parser 2 takes `depth` (over it: 400); its typings do not know it yet.
  const options = { extended: true, limit, inflate: false, depth: 8, parameterLimit: MAX_PARAMETERS };
  return express.urlencoded(options);
}
