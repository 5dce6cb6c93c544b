import { pino } from 'pino';

/**
 * The process logger. Personal data never reaches it: request bodies are not logged, and the
 * redact list is a second line of defence for fields that carry personal data (P8).
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: {
    paths: ['*.email', '*.phone', '*.dob', '*.ssn', '*.legal_first_name', '*.legal_last_name', '*.address', '*.token', '*.authorization', '*.apiKey', '*.secret'],
    censor: '[redacted]',
  },
});
