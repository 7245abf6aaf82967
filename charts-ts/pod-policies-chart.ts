import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';

/** Who a rule lets in or out: pods by namespace and labels, every pod of namespaces, or address blocks. */
export type PodPeer =
  | { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }
  | { readonly namespaces: readonly string[] }
  | { readonly addressBlocks: readonly string[] };

/** One allowed connection: the peer and its ports. */
export interface PodConnection {
  readonly peer: PodPeer;
  /** Ports; empty means every port (a scraper reaching each target's own metrics port). */
  readonly ports: readonly number[];
  /**
   * Protocols of the ports.
   * @default ['TCP']
   */
  readonly protocols?: readonly ('TCP' | 'UDP')[];
}

/** The NetworkPolicy of one of a Helm release's workloads. */
export interface PodPolicy {
  /** Policy name, e.g. `vault-server`. */
  readonly name: string;
  /** The labels the Helm chart gives the workload's pods (a subset selects them). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ingress: readonly PodConnection[];
  readonly egress: readonly PodConnection[];
}

export interface PodPoliciesChartProps {
  /** The workloads' namespace. */
  readonly namespace: string;
  /** Labels on every object. */
  readonly labels: Readonly<Record<string, string>>;
  readonly podPolicies: readonly PodPolicy[];
}

const DNS_PORTS = [
  { protocol: 'UDP', port: IntOrString.fromNumber(53) },
  { protocol: 'TCP', port: IntOrString.fromNumber(53) },
];

/**
 * What the platform adds around a Helm release whose chart's own policies are off: one
 * NetworkPolicy per workload, selecting its pods by the labels the chart gives them, with
 * the connections it needs in and out and DNS (the namespace denies everything else).
 */
export class PodPoliciesChart extends Chart {
  constructor(scope: Construct, id: string, props: PodPoliciesChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...props.labels } });
    const namespace = props.namespace;
    for (const policy of props.podPolicies) {
      new KubeNetworkPolicy(this, `network-policy-${policy.name}`, {
        metadata: { name: policy.name, namespace },
        spec: {
          podSelector: { matchLabels: { ...policy.podLabels } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: policy.ingress.map((rule) => ({ from: peers(rule.peer), ...ports(rule) })),
          egress: [
            ...policy.egress.map((rule) => ({ to: peers(rule.peer), ...ports(rule) })),
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
              ports: DNS_PORTS,
            },
          ],
        },
      });
    }
  }

  /** The chart's objects, as plain JSON. */
  public static render(props: PodPoliciesChartProps, scope: Construct, id: string): Record<string, unknown>[] {
    return new PodPoliciesChart(scope, id, props).toJson() as Record<string, unknown>[];
  }
}

function ports(rule: PodConnection) {
  if (rule.ports.length === 0) return {};
  return { ports: (rule.protocols ?? ['TCP']).flatMap((protocol) => rule.ports.map((port) => ({ protocol, port: IntOrString.fromNumber(port) }))) };
}

function peers(peer: PodPeer): NetworkPolicyPeer[] {
  if ('addressBlocks' in peer) return peer.addressBlocks.map((cidr) => ({ ipBlock: { cidr } }));
  if ('namespaces' in peer) return [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...peer.namespaces] }] } }];
  return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } }, podSelector: { matchLabels: { ...peer.podLabels } } }];
}
