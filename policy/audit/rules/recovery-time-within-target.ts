import { judge } from '../../objects';
import { readableMinutes, subject } from '../facts';
import { recoveryEvidence } from '../recovery-evidence';
import type { AuditCheck } from '../types';

/** The estimated recovery time the synth wrote into the failover runbook is within the recovery time objective. */
export const recoveryTimeWithinTarget: AuditCheck = (plan, context) => {
  const evidence = recoveryEvidence(plan);
  const ref = subject('Runbook', `${plan.name}-failover`);
  const allowed = `at most the recovery time objective ${readableMinutes(context.recoveryTimeMinutes)}`;
  if (evidence.estimatedRecoveryMinutes === undefined) return judge(ref, [{ path: `runbooks/${plan.name}-failover.md`, value: plan.runbook === undefined ? undefined : 'no estimated recovery time', allowed: `the synth's runbook stating "the estimated recovery time of <N>m", ${allowed}` }]);
  return judge(ref, evidence.estimatedRecoveryMinutes > context.recoveryTimeMinutes ? [{ path: 'estimated recovery time', value: readableMinutes(evidence.estimatedRecoveryMinutes), allowed }] : []);
};
