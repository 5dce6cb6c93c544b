import { pino } from 'pino';
import { currentRequestId } from './request-id.ts';

/**
 * The process logger. Personal data never reaches it: request bodies are not logged, and the
 * redact list is a second line of defence for fields that carry personal data (P8). Every line
 * written on behalf of a request carries its `request_id`. Quiet until server/main.ts sets the
 * configured LOG_LEVEL (servers started in-process by tests stay quiet).
 */
export const log = pino({
  level: 'silent',
  mixin: () => {
    const id = currentRequestId();
    return id ? { request_id: id } : {};
  },
  redact: {
    paths: [
      '*.email',
      '*.phone',
      '*.dob',
      '*.ssn',
      '*.legal_first_name',
      '*.legal_last_name',
      '*.address',
      '*.token',
      '*.authorization',
      '*.apiKey',
      '*.secret',
    ],
    censor: '[redacted]',
  },
});
