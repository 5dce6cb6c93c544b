import { Router } from 'express';
import type { RetentionRuleStatus } from '../../contract/index.ts';
import { RETENTION_RULES, type RetentionRule } from '../../machines/effects.ts';
import { staffOrIntegrator } from '../runtime/caller.ts';
import { iso } from '../runtime/clock.ts';
import type { Store } from '../store/store.ts';
import type { RetentionPeriods } from './retention.ts';

/** How far ahead the board counts erasures as coming due. */
const SOON_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * `GET /v1/retention` (staff, integrator; T4): each retention rule, its period (null: not
 * configured, nothing is erased by it), how many subjects' erasures are scheduled, how many come
 * due within 30 days, and the first due (in the past: erasures are late).
 */
export function retentionRouter(store: Store, periods: RetentionPeriods, now: () => number) {
  const router = Router();
  router.get('/retention', async (req, res) => {
    staffOrIntegrator(req.caller, 'Retention is for staff.');
    const groups = await store.reminderGroups('retention', iso(now() + SOON_MS));
    const ofRule = (rule: RetentionRule) => groups.filter((g) => (JSON.parse(g.event) as { rule?: string }).rule === rule);
    const rules = RETENTION_RULES.map((rule): RetentionRuleStatus => {
      const mine = ofRule(rule);
      return {
        rule,
        period_ms: periods[rule] ?? null,
        scheduled: mine.reduce((n, g) => n + g.scheduled, 0),
        due_within_30_days: mine.reduce((n, g) => n + g.due_by, 0),
        next_due_at: mine.map((g) => g.next_due_at).sort()[0] ?? null,
      };
    });
    res.json({ object: 'retention', rules });
  });
  return router;
}
