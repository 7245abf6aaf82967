/**
 * Steps of an environment's failover runbook (`cdktf.out/runbooks/<environment>-failover.md`),
 * written by the synth. The runbook assembles its own steps (promote the site, move the
 * public name, verify) with the steps components contribute: a component that needs a hand
 * in a failover (SQL Server log restore, MinIO replication, Vault) exposes them as
 * `runbookSteps` (RunbookContributor) and the synth picks them up from every stack.
 */

/** The two procedures of the runbook. */
export const RUNBOOK_PROCEDURES = ['failover', 'fail-back'] as const;
export type RunbookProcedure = (typeof RUNBOOK_PROCEDURES)[number];

/**
 * The phases of a procedure, in the order the runbook lists them: decide, bring the data up
 * at the new primary, promote its workloads, move the public name, check, then what is left
 * (recording the new roles, returning the old primary to standby).
 */
export const RUNBOOK_PHASES = ['assess', 'data', 'promote', 'traffic', 'verify', 'finish'] as const;
export type RunbookPhase = (typeof RUNBOOK_PHASES)[number];

/** One step of a runbook procedure. */
export interface RunbookStep {
  /** Stable and unique in the runbook, e.g. `sql-server.restore-log-backups`. */
  readonly id: string;
  readonly procedure: RunbookProcedure;
  readonly phase: RunbookPhase;
  /**
   * Place within its phase, lowest first; steps of equal order are listed by id.
   * @default 0
   */
  readonly order?: number;
  /** What the step does, imperative: `Restore the log backups at Kitwe`. */
  readonly title: string;
  /** Markdown: paragraphs, lists and fenced commands, written for the operator on call. */
  readonly body: string;
  /** Minutes the step takes: the runbook adds them up against the recovery time objective. */
  readonly expectedMinutes: number;
}

/** A construct that adds steps to its environment's failover runbook. */
export interface RunbookContributor {
  readonly runbookSteps: readonly RunbookStep[];
}

/** True when `construct` contributes runbook steps. */
export function contributesRunbookSteps(construct: unknown): construct is RunbookContributor {
  return typeof construct === 'object' && construct !== null && Array.isArray((construct as Partial<RunbookContributor>).runbookSteps);
}
