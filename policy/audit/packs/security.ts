import { defaultDenyEverywhere } from '../rules/default-deny-everywhere';
import { exposureRecorded } from '../rules/exposure-recorded';
import { noSecretValues } from '../rules/no-secret-values';
import { rbacWithoutWildcards } from '../rules/rbac-without-wildcards';
import { restrictedNamespaces } from '../rules/restricted-namespaces';
import { tlsOnDataEndpoints } from '../rules/tls-on-data-endpoints';
import { vaultSecretsShared } from '../rules/vault-secrets-shared';
import type { AuditPack } from '../types';

/** Security baselines over the plan; the workload-level baseline is the restricted-workloads pack, run over the plan too. */
export const SECURITY_PACK: AuditPack = {
  name: 'security',
  title: 'Security',
  description:
    "Secrets, Pod Security, network isolation, TLS, RBAC and exposure, over every stack's Terraform JSON. The restricted-workloads rules (LMS-K8S-*) run over the same objects in the audit.",
  rules: [
    { id: 'LMS-SEC-001', level: 'error', title: 'No secret values in synthesized files or state inputs', why: 'Anything in the plan is written into Terraform state and read by everyone who can read the plan; secrets live only in Vault and reach pods through the agent.', check: noSecretValues },
    { id: 'LMS-SEC-002', level: 'error', title: 'Namespaces enforce restricted Pod Security, or record why not', why: "The API server then rejects any pod that would run privileged, as root or with host access, whatever a chart renders; an exception is stated on the namespace for the auditor.", check: restrictedNamespaces },
    { id: 'LMS-SEC-003', level: 'error', title: 'A default-deny NetworkPolicy in every namespace', why: 'Without it every pod can reach every other; with it, only the traffic a workload\'s own policy names flows.', check: defaultDenyEverywhere },
    { id: 'LMS-SEC-004', level: 'error', title: 'TLS on every data endpoint', why: 'Loan data, credentials and backups cross the cluster network and the link between the sites; clear text would expose them to anyone on the path.', check: tlsOnDataEndpoints },
    { id: 'LMS-SEC-005', level: 'error', title: 'RBAC and Vault policies without wildcards', why: 'A wildcard grants what exists today and whatever is added later; named grants keep least privilege reviewable.', check: rbacWithoutWildcards },
    { id: 'LMS-SEC-006', level: 'error', title: 'No NodePort or LoadBalancer Service without a recorded reason', why: 'Such a Service is reachable from outside the cluster; each one must say why, so an auditor can check it is meant to be.', check: exposureRecorded },
    { id: 'LMS-SEC-007', level: 'info', title: 'Vault secrets read by more than one workload, listed for review', why: 'Each workload reads only its own secrets unless its job is to install or check someone else\'s; listing every shared read lets an auditor confirm each one is meant.', check: vaultSecretsShared },
  ],
};
