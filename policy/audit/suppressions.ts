import type { AuditSuppression } from './audit';

/**
 * Accepted audit findings, each with the reason an auditor can verify. A suppression names
 * a rule and an object (`Kind/namespace/name`, as the reports name it, the namespace empty
 * for cluster-scoped objects and for facts of a stack) and covers it in every stack of its
 * environments; one that matches no finding is an error, so the list never outlives what it
 * excuses. Every report lists them with their reasons.
 */
export const AUDIT_SUPPRESSIONS: readonly AuditSuppression[] = [
  {
    ruleId: 'LMS-SOV-006',
    object: 'TerraformBackend//local',
    environments: ['dev'],
    reason:
      'Development keeps its Terraform state in files under .terraform-state/ on the machine that deploys it (environments/dev.ts: state kind local; README "Deploying"); dev holds no business data, and staging and production keep their state in the S3 bucket of each site.',
  },
  {
    ruleId: 'LMS-SEC-006',
    object: 'Service/lms-data/minio-replication',
    reason:
      "The other site's MinIO replicates buckets into this one through this Service: a MetalLB address of the site's replication pool, serving only TLS with the certificate for minio.<site domain>; the cross-site-ingress-object-storage NetworkPolicy admits only the other site's address ranges (README \"Object storage and replication\").",
  },
  {
    ruleId: 'LMS-SEC-006',
    object: 'HelmRelease/lms-platform/traefik',
    reason:
      "Traefik is the site's Gateway: its LoadBalancer Service (a MetalLB address of the site's public pool) is the one entry for the loan-service's HTTPS route and the operations UIs, each listener with a certificate from the site's issuers; the plain HTTP listener only redirects to HTTPS (README \"Traffic and certificates\").",
  },
  {
    ruleId: 'LMS-BC-006',
    object: 'StatefulSet/lms-data/sql-server',
    environments: ['production'],
    reason:
      "SQL Server runs one instance per site: its redundancy is the standby at the other site, kept within the recovery point by log shipping (LMS-BC-001, LMS-BC-007), and its PodDisruptionBudget makes a node drain wait for a planned failover (README \"Backup and disaster recovery\").",
  },
];
