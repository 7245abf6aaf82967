import { z } from 'zod';
import { Duration } from '../../constructs/duration';
import { RUN_ALWAYS, duration, parsedFields, strict } from './common';
import { unevenInterval } from './sql-server';

/**
 * Facts from the operations plan (shared/seed/infrastructure-and-operations.md) that hold
 * for the whole platform. Environment files state their own objectives; production's may
 * not be weaker than these.
 */
export const OPERATIONS_PLAN = {
  recoveryPoint: Duration.hours(1),
  recoveryTime: Duration.hours(4),
  availabilityPercent: 99.9,
  fullBackupSchedule: 'daily',
} as const;

/** An environment's recovery and availability objectives. */
export const objectives = strict({
  recoveryPoint: duration,
  recoveryTime: duration,
  availabilityPercent: z.number().min(90).max(100),
  fullBackupSchedule: z.enum(['daily']),
  /** How often transaction logs are backed up and shipped to the DR site. */
  logBackupInterval: duration,
}).superRefine((objectives, ctx) => {
  const parsed = parsedFields(ctx);
  const uneven = parsed(['logBackupInterval']) ? unevenInterval(objectives.logBackupInterval) : undefined;
  if (uneven !== undefined) ctx.addIssue({ code: 'custom', path: ['logBackupInterval'], message: uneven });
  if (parsed(['logBackupInterval'], ['recoveryPoint']) && objectives.logBackupInterval.isLongerThan(objectives.recoveryPoint)) {
    ctx.addIssue({
      code: 'custom',
      path: ['logBackupInterval'],
      message: `"${objectives.logBackupInterval}" is longer than the recovery point "${objectives.recoveryPoint}" (allowed: at most the recovery point)`,
    });
  }
}, RUN_ALWAYS);
