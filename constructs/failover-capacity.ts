import { Construct } from 'constructs';
import type { LoanService } from './loan-service';
import { cpuMillis, memoryMiB } from './quantities';
import type { SiteCluster } from './site-cluster';

export interface FailoverCapacityProps {
  /** The loan-service at the primary site. */
  readonly primary: LoanService;
  /** The loan-service at the disaster-recovery site. */
  readonly standby: LoanService;
  /** The disaster-recovery site's baseline, whose apps quota must hold the promoted service. */
  readonly standbyCluster: SiteCluster;
}

/**
 * Whether the disaster-recovery site can carry the primary's load once promoted: after a
 * failover the standby loan-service runs its site's primary replica count, which must be at
 * least the primary's, inside the quota of its apps namespace. A DR site that cannot scale
 * up turns a site loss into an outage, so these are synth-time failures, not warnings.
 */
export class FailoverCapacity extends Construct {
  /** Replicas the promoted service runs. */
  public readonly promotedReplicas: number;
  /** CPU requests and limits of the promoted service, in millicores. */
  public readonly promotedCpuMillis: { readonly requests: number; readonly limits: number };
  /** Memory requests and limits of the promoted service, in MiB. */
  public readonly promotedMemoryMiB: { readonly requests: number; readonly limits: number };

  constructor(scope: Construct, id: string, props: FailoverCapacityProps) {
    super(scope, id);
    const { primary, standby, standbyCluster } = props;
    const pod = standby.podResources;
    this.promotedReplicas = standby.primaryReplicas;
    this.promotedCpuMillis = { requests: pod.cpuRequestMillis * this.promotedReplicas, limits: pod.cpuLimitMillis * this.promotedReplicas };
    this.promotedMemoryMiB = { requests: pod.memoryRequestMiB * this.promotedReplicas, limits: pod.memoryLimitMiB * this.promotedReplicas };

    const where = `FailoverCapacity ${this.node.path}`;
    const site = standbyCluster.siteName;
    const quota = standbyCluster.namespaceQuotas.apps;
    const quotaField = (field: string) => `sizing.namespaces.apps.${field} of site "${site}"`;
    this.node.addValidation({
      validate: () => {
        const problems: string[] = [];
        if (this.promotedReplicas < primary.primaryReplicas) {
          problems.push(
            `${where}: loan-service replicas: ${this.promotedReplicas} at "${site}" once promoted is below the primary's ${primary.primaryReplicas} (allowed: at least ${primary.primaryReplicas}, so the disaster-recovery site carries the primary's load)`,
          );
        }
        const checks = [
          { field: 'requestsCpu', needed: this.promotedCpuMillis.requests, available: cpuMillis(quota.requestsCpu, `${where}: ${quotaField('requestsCpu')}`), unit: 'm CPU' },
          { field: 'limitsCpu', needed: this.promotedCpuMillis.limits, available: cpuMillis(quota.limitsCpu, `${where}: ${quotaField('limitsCpu')}`), unit: 'm CPU' },
          { field: 'requestsMemory', needed: this.promotedMemoryMiB.requests, available: memoryMiB(quota.requestsMemory, `${where}: ${quotaField('requestsMemory')}`), unit: 'Mi' },
          { field: 'limitsMemory', needed: this.promotedMemoryMiB.limits, available: memoryMiB(quota.limitsMemory, `${where}: ${quotaField('limitsMemory')}`), unit: 'Mi' },
        ];
        for (const check of checks.filter((c) => c.needed > c.available)) {
          problems.push(
            `${where}: ${quotaField(check.field)}: ${check.available}${check.unit} cannot hold the promoted loan-service, ${this.promotedReplicas} x ${check.needed / this.promotedReplicas}${check.unit} = ${check.needed}${check.unit} (allowed: at least ${check.needed}${check.unit})`,
          );
        }
        return problems;
      },
    });
  }
}
