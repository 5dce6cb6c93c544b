/** Where the runtime reads the time, so tests can move it (ARCHITECTURE.md, "Time"). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until told to move. */
export class ManualClock implements Clock {
  constructor(private at = Date.parse('2026-01-01T00:00:00Z')) {}
  now() {
    return this.at;
  }
  advance(ms: number) {
    this.at += ms;
  }
}

// The last one made is kept: a command asks for the same millisecond several times (issue 14).
let lastMs = Number.NaN;
let lastIso = '';
export const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};
