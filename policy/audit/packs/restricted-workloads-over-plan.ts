import { RESTRICTED_WORKLOADS } from '../../packs/restricted-workloads';
import type { AuditPack } from '../types';

/**
 * The restricted-workloads pack (LMS-K8S-*) as the synth runs it, over each stack's
 * objects as written into the plan: the same ids, levels and checks, the approved
 * registries from the audit context.
 */
export const RESTRICTED_WORKLOADS_OVER_PLAN: AuditPack = {
  name: RESTRICTED_WORKLOADS.name,
  title: RESTRICTED_WORKLOADS.title,
  description: RESTRICTED_WORKLOADS.description,
  rules: RESTRICTED_WORKLOADS.rules.map((rule) => ({
    ...rule,
    check: (plan, context) =>
      plan.stacks.flatMap((stack) =>
        rule.check(
          stack.objects.map(({ object }) => object),
          { approvedRegistries: context.approvedRegistries },
        ).map((result) => ({ ...result, object: { ...result.object, stack: stack.name } })),
      ),
  })),
};
