const DAY = 24 * 60 * 60 * 1000;
const PACIFIC = 'America/Los_Angeles';

/** Milliseconds the US Pacific wall clock is ahead of UTC (negative) at `ms`. */
function pacificOffset(ms: number): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: PACIFIC,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts: Record<string, number> = Object.fromEntries(format.formatToParts(ms).flatMap((p) => (p.type === 'literal' ? [] : [[p.type, Number(p.value)]])));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * When an invitation made at `createdMs` expires (CHECKR.md "Invitations", B3): a period of whole
 * days ends at 23:59:59 US Pacific time of its last day (7 days: the seventh day after creation);
 * any other period (a test's minutes) is exact.
 */
export function invitationExpiry(createdMs: number, periodMs: number): number {
  if (periodMs <= 0 || periodMs % DAY !== 0) return createdMs + periodMs;
  const created = new Date(createdMs + pacificOffset(createdMs));
  const lastSecond = Date.UTC(created.getUTCFullYear(), created.getUTCMonth(), created.getUTCDate() + periodMs / DAY, 23, 59, 59);
  // The wall-clock time 23:59:59 of that day, in the offset of that day (daylight saving time may differ).
  const guess = lastSecond - pacificOffset(lastSecond);
  return lastSecond - pacificOffset(guess);
}
