/**
 * The classes of log the platform keeps, each in its own data stream with its own retention:
 * - `application`: the loan management workloads' own logs (the loan-service's JSON lines).
 * - `system`: everything else the platform's containers write (operators, data services,
 *   ingress, the Kubernetes components).
 * - `security`: authentication and authorisation events (the ingress's refused requests,
 *   Vault's server log).
 * - `audit`: Vault's audit log, the loan-service's audit lines: who did what to which
 *   record, kept longest because regulators and auditors ask for it.
 */
export const LOG_CLASSES = ['application', 'system', 'security', 'audit'] as const;
export type LogClass = (typeof LOG_CLASSES)[number];
