import { Construct } from 'constructs';
import type { LoanService } from './loan-service';

export interface FailoverCapacityProps {
  /** The loan-service at the primary site. */
  readonly primary: LoanService;
  /** The loan-service at the disaster-recovery site. */
  readonly standby: LoanService;
}

/**
 * Whether the disaster-recovery site can carry the primary's load once promoted: after a
 * failover the standby loan-service runs its own site's primary replica count, which must be
 * at least the primary's. (That each site's apps quota holds its own primary replica count
 * is an environment check, `sizing.namespaces.apps`.) A DR site that cannot scale up to the
 * primary's size turns a site loss into an outage, so this fails the synth.
 */
export class FailoverCapacity extends Construct {
  /** Replicas the promoted service runs. */
  public readonly promotedReplicas: number;
  /** Replicas the primary runs today. */
  public readonly primaryReplicas: number;

  constructor(scope: Construct, id: string, props: FailoverCapacityProps) {
    super(scope, id);
    this.promotedReplicas = props.standby.primaryReplicas;
    this.primaryReplicas = props.primary.primaryReplicas;
    const where = `FailoverCapacity ${this.node.path}`;
    this.node.addValidation({
      validate: () =>
        this.promotedReplicas >= this.primaryReplicas
          ? []
          : [
              `${where}: loan-service replicas: ${this.promotedReplicas} once promoted is below the primary's ${this.primaryReplicas} (allowed: at least ${this.primaryReplicas}, so the disaster-recovery site carries the primary's load)`,
            ],
    });
  }
}
