import type { Eta, ScreeningType } from '../../machines/report.ts';
import { iso } from '../runtime/clock.ts';
import { STEP_MULTIPLES } from '../vendors/sterling/records.ts';

/** How long screenings take, for Checkr's report ETA. */
export type Estimator = (types: ScreeningType[], from: string) => Eta;

/**
 * The estimate follows the screening sandbox's own schedule (each screening type finishes at its
 * multiple of `SANDBOX_SCREENING_DELAY_MS`): screenings ordered at `from` are done when the
 * slowest is.
 */
export const sandboxEstimator =
  (baseDelayMs: number): Estimator =>
  (types, from) => ({
    estimate_generated_at: from,
    estimated_completion_time: iso(Date.parse(from) + Math.max(0, ...types.map((t) => STEP_MULTIPLES[t])) * baseDelayMs),
  });
