import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';

/** Who a rule lets in or out: pods by namespace and labels, every pod of namespaces, or address blocks. */
export type VaultPeer =
  | { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }
  | { readonly namespaces: readonly string[] }
  | { readonly addressBlocks: readonly string[] };

/** One allowed connection: the peer and its TCP ports. */
export interface VaultConnection {
  readonly peer: VaultPeer;
  readonly ports: readonly number[];
}

/** The NetworkPolicy of one of the release's workloads. */
export interface VaultPodPolicy {
  /** Policy name, e.g. `vault-server`. */
  readonly name: string;
  /** The labels the Helm chart gives the workload's pods (a subset selects them). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ingress: readonly VaultConnection[];
  readonly egress: readonly VaultConnection[];
}

export interface VaultChartProps {
  /** Vault's namespace. */
  readonly namespace: string;
  /** Labels on every object. */
  readonly labels: Readonly<Record<string, string>>;
  readonly podPolicies: readonly VaultPodPolicy[];
}

const DNS_PORTS = [
  { protocol: 'UDP', port: IntOrString.fromNumber(53) },
  { protocol: 'TCP', port: IntOrString.fromNumber(53) },
];

/**
 * What the platform adds around the Vault Helm release: a NetworkPolicy for the servers and
 * one for the agent injector (the namespace denies everything else), and the servers'
 * certificate, which must exist before the servers start (they mount its Secret).
 */
export class VaultChart extends Chart {
  constructor(scope: Construct, id: string, props: VaultChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...props.labels } });
    const namespace = props.namespace;
    for (const policy of props.podPolicies) {
      new KubeNetworkPolicy(this, `network-policy-${policy.name}`, {
        metadata: { name: policy.name, namespace },
        spec: {
          podSelector: { matchLabels: { ...policy.podLabels } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: policy.ingress.map((rule) => ({ from: peers(rule.peer), ports: tcp(rule.ports) })),
          egress: [
            ...policy.egress.map((rule) => ({ to: peers(rule.peer), ports: tcp(rule.ports) })),
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
  public static render(props: VaultChartProps, scope: Construct, id: string): Record<string, unknown>[] {
    return new VaultChart(scope, id, props).toJson() as Record<string, unknown>[];
  }
}

function tcp(ports: readonly number[]) {
  return ports.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) }));
}

function peers(peer: VaultPeer): NetworkPolicyPeer[] {
  if ('addressBlocks' in peer) return peer.addressBlocks.map((cidr) => ({ ipBlock: { cidr } }));
  if ('namespaces' in peer) return [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...peer.namespaces] }] } }];
  return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } }, podSelector: { matchLabels: { ...peer.podLabels } } }];
}
