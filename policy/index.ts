export { POLICY_PACKS, assertNoPolicyErrors, checkPolicies, evaluatePacks, formatFinding, formatReport } from './engine';
export type { PolicyFinding, PolicyReport, RuleSummary } from './engine';
export { RESTRICTED_WORKLOADS } from './packs/restricted-workloads';
export type { ObjectRef, PolicyContext, PolicyLevel, PolicyPack, PolicyRule, PolicySuppression, RuleCheck, RuleResult, Violation } from './types';
