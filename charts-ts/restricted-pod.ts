import { IntOrString } from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * What every pod the platform writes by hand shares: the restricted security contexts and the
 * one egress rule each NetworkPolicy needs besides its own peers (cluster DNS).
 */

/** Egress to the cluster DNS (kube-dns in kube-system), UDP and TCP 53. */
export const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: IntOrString.fromNumber(53) },
  ],
};

/** A container of the restricted Pod Security level: a fixed non-root user, nothing added, nothing written to the image. */
export function restrictedContainerSecurity(user: number) {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The pod's own security context: the same user and group, volumes owned by the group. */
export function restrictedPodSecurity(user: number) {
  return { runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user, seccompProfile: { type: 'RuntimeDefault' } };
}
