import { Router } from 'express';
import { z } from 'zod';
import type { EscalationRuleView } from '../../contract/index.ts';
import { parse } from '../api/errors.ts';
import { wholeList } from '../api/list.ts';
import { isStaff } from '../runtime/caller.ts';
import { forbidden } from '../runtime/errors.ts';
import { mayWrite, missing } from './access.ts';
import { type EscalationRule, type EscalationRules, ruleFields } from './escalation.ts';

export const listQuery = z.object({ include_deleted: z.enum(['true', 'false']).optional() });

/** The rule as the API shows it: every match field present, null when the rule does not restrict it. */
const wire = (r: EscalationRule): EscalationRuleView => ({ package: null, result: null, source: null, ...r });

/**
 * `GET/POST /v1/escalation_rules`, `DELETE /v1/escalation_rules/{id}` (B7): the integrator
 * manages the rules; staff may read them (the console shows them to reviewers).
 */
export function escalationRulesRouter(rules: EscalationRules) {
  const router = Router();

  router.get('/escalation_rules', async (req, res) => {
    if (req.caller.role !== 'integrator' && !isStaff(req.caller)) throw forbidden('Escalation rules are for the integrator and staff.');
    const query = parse(listQuery, req.query, 'query');
    const data = (await rules.list(query.include_deleted === 'true')).map(wire);
    res.json(wholeList(data));
  });

  router.post('/escalation_rules', async (req, res) => {
    const fields = parse(ruleFields, req.body, 'escalation rule');
    mayWrite(req.caller);
    res.status(201).json(wire(await rules.add(fields, { role: 'integrator' })));
  });

  router.delete('/escalation_rules/:id', async (req, res) => {
    mayWrite(req.caller);
    const deleted = await rules.remove(req.params.id, { role: 'integrator' });
    if (!deleted) throw missing('Escalation rule not found');
    res.json({ ...wire(deleted), deleted: true });
  });

  return router;
}
