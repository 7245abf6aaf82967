import { allCapabilitiesDropped } from '../rules/all-capabilities-dropped';
import { approvedRegistry } from '../rules/approved-registry';
import { disruptionBudget } from '../rules/disruption-budget';
import { imagePinnedByDigest } from '../rules/image-pinned-by-digest';
import { livenessAndReadinessProbes } from '../rules/liveness-and-readiness-probes';
import { noPrivilegeEscalation } from '../rules/no-privilege-escalation';
import { ownNetworkPolicy } from '../rules/own-network-policy';
import { readOnlyRootFilesystem } from '../rules/read-only-root-filesystem';
import { resourceRequestsAndLimits } from '../rules/resource-requests-and-limits';
import { runAsNonRoot } from '../rules/run-as-non-root';
import { seccompProfile } from '../rules/seccomp-profile';
import type { PolicyPack } from '../types';

/**
 * Restricted workloads: the pod templates of Deployments, StatefulSets, DaemonSets, Jobs,
 * CronJobs, ReplicaSets and bare Pods (containers and init containers) meet the Kubernetes
 * `restricted` Pod Security level and the platform's own rules for images, resources,
 * probes, network isolation and disruption. Ids are stable: suppressions name them.
 */
export const RESTRICTED_WORKLOADS: PolicyPack = {
  name: 'restricted-workloads',
  title: 'Restricted workloads',
  description:
    'Pod templates of Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicaSets and bare Pods, containers and init containers alike. A value a rule cannot read (missing, wrong type, unparseable quantity) is a finding, never a pass.',
  rules: [
    {
      id: 'LMS-K8S-001',
      level: 'error',
      title: 'Containers run as a non-root user',
      why: 'A process running as root in a container is root on the node if it escapes. runAsNonRoot makes the kubelet refuse to start a container whose user is 0, and the restricted Pod Security level enforced on the application namespaces rejects such pods at admission.',
      check: runAsNonRoot,
    },
    {
      id: 'LMS-K8S-002',
      level: 'error',
      title: 'No privilege escalation, no privileged containers',
      why: 'allowPrivilegeEscalation defaults to true, letting setuid binaries gain privileges the container was not given; a privileged container has every device and capability of the node.',
      check: noPrivilegeEscalation,
    },
    {
      id: 'LMS-K8S-003',
      level: 'error',
      title: 'All Linux capabilities dropped',
      why: 'The runtime grants a default set of capabilities (e.g. NET_RAW, CHOWN) that the loan management services never need; dropping ALL leaves nothing to abuse after a compromise.',
      check: allCapabilitiesDropped,
    },
    {
      id: 'LMS-K8S-004',
      level: 'error',
      title: 'Seccomp profile RuntimeDefault or Localhost',
      why: 'Without a seccomp profile every system call is open to the container, including those behind most kernel escapes; the runtime default blocks them at no cost to ordinary services.',
      check: seccompProfile,
    },
    {
      id: 'LMS-K8S-005',
      level: 'error',
      title: 'Read-only root filesystem',
      why: 'An attacker who cannot write to the image cannot drop tools or alter code; writable paths are explicit volumes (an emptyDir at /tmp). A container that truly must write to its root filesystem records why in a suppression.',
      check: readOnlyRootFilesystem,
    },
    {
      id: 'LMS-K8S-006',
      level: 'error',
      title: "Images come from the site's approved registry",
      why: "Every image is pulled from the site's in-country mirror, which the platform controls: a pull never depends on international links or on what a public registry serves that day, and every image that runs was copied in on purpose.",
      check: approvedRegistry,
    },
    {
      id: 'LMS-K8S-007',
      level: 'error',
      title: 'Images pinned by digest',
      why: 'A tag can be moved to other content; a sha256 digest names exactly the image that was scanned and approved, so both sites and every restart run the same bits.',
      check: imagePinnedByDigest,
    },
    {
      id: 'LMS-K8S-008',
      level: 'error',
      title: 'CPU and memory requests and limits, each request within its limit',
      why: 'Requests let the scheduler place pods so that Kitwe can carry Lusaka after a failover; limits stop one container from starving its neighbours; a request above its limit is rejected by the API server.',
      check: resourceRequestsAndLimits,
    },
    {
      id: 'LMS-K8S-009',
      level: 'error',
      title: 'Liveness and readiness probes on long-running containers',
      why: 'Readiness keeps traffic away from a pod that cannot serve (starting, draining, database unreachable); liveness restarts a hung process. Without them a rollout or a failure silently drops requests.',
      check: livenessAndReadinessProbes,
    },
    {
      id: 'LMS-K8S-010',
      level: 'error',
      title: 'A NetworkPolicy of its own selects every workload',
      why: "The baseline's default-deny policy blocks all traffic in every namespace, so a workload without a policy of its own either cannot work or invites someone to loosen the namespace default for everyone. Its own policy states exactly who may reach it and whom it may reach.",
      check: ownNetworkPolicy,
    },
    {
      id: 'LMS-K8S-011',
      level: 'error',
      title: 'A PodDisruptionBudget covers every workload with more than one replica',
      why: 'Node drains during maintenance would otherwise evict every replica at once; a budget keeps the service up through voluntary disruptions, as the 99.9 % availability objective requires.',
      check: disruptionBudget,
    },
  ],
};
