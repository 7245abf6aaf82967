import type { PolicyPack, PolicyRule, RuleResult } from '../types';
import type { AuditContext } from './facts';
import type { EnvironmentPlan } from './plan';

/** An audit rule's check: a pure function over one environment's synthesized plan. */
export type AuditCheck = (plan: EnvironmentPlan, context: AuditContext) => readonly RuleResult[];

export type AuditRule = PolicyRule<EnvironmentPlan, AuditContext>;

/** A pack of audit rules, run over each environment's plan by `npm run audit`. */
export type AuditPack = PolicyPack<EnvironmentPlan, AuditContext>;
