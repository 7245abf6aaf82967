import { Chart } from 'cdk8s';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from './imports/certificate-cert-manager.io';
import { ClusterIssuer } from './imports/clusterissuer-cert-manager.io';
import { Issuer } from './imports/issuer-cert-manager.io';
import { PodMonitor } from './imports/podmonitor-monitoring.coreos.com';

/** Who a rule lets in or out: pods by namespace and labels, or address blocks (the API server). */
export type CertManagerPeer =
  | { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }
  | { readonly addressBlocks: readonly string[] };

/** One allowed connection of a cert-manager pod: the peer and the TCP port. */
export interface CertManagerConnection {
  readonly peer: CertManagerPeer;
  readonly port: number;
}

/** The NetworkPolicy of one of the chart's workloads. */
export interface CertManagerPodPolicy {
  /** Policy name, e.g. `cert-manager-webhook`. */
  readonly name: string;
  /** The labels the Helm chart gives the workload's pods (a subset selects them). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ingress: readonly CertManagerConnection[];
  readonly egress: readonly CertManagerConnection[];
}

/** The PodMonitor of every cert-manager pod's `/metrics`. */
export interface CertManagerPodMonitor {
  /** Labels the site's Prometheus selects PodMonitors by. */
  readonly labels: Readonly<Record<string, string>>;
  /** The release's `app.kubernetes.io/instance` label on every pod it runs. */
  readonly instance: string;
  /** The `app.kubernetes.io/component` of each scraped workload (`controller`, `webhook`, `cainjector`). */
  readonly components: readonly string[];
  /** The name the chart gives the metrics container port (`http-metrics`, 9402). */
  readonly portName: string;
}

/** The environment's self-signed root CA at one site. */
export interface RootCaSpec {
  /** Name of the Certificate and of its Secret (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly name: string;
  readonly commonName: string;
  readonly organization: string;
  /** ISO 3166 country code of the subject. */
  readonly country: string;
  /** cert-manager duration text, e.g. `87600h`. */
  readonly duration: string;
  readonly renewBefore: string;
}

export interface CertManagerChartProps {
  /** The namespace cert-manager runs in; the root's Secret and the bank CA's Secret live there. */
  readonly namespace: string;
  /** Labels on every object. */
  readonly labels: Readonly<Record<string, string>>;
  readonly podPolicies: readonly CertManagerPodPolicy[];
  /** What the site's Prometheus scrapes. */
  readonly podMonitor: CertManagerPodMonitor;
  /** The namespaced self-signed Issuer that signs only the root. */
  readonly bootstrapIssuerName: string;
  readonly root: RootCaSpec;
  /** The `CA` ClusterIssuer backed by the root's Secret. */
  readonly internalIssuerName: string;
  /**
   * The `CA` ClusterIssuer backed by the bank's CA Secret, when the public certificate comes from it.
   * @default - none: the internal issuer signs the public certificate
   */
  readonly publicIssuer?: { readonly name: string; readonly caSecretName: string };
}

const DNS_PORTS = [
  { protocol: 'UDP', port: IntOrString.fromNumber(53) },
  { protocol: 'TCP', port: IntOrString.fromNumber(53) },
];

/**
 * What the platform adds around the cert-manager Helm release: a NetworkPolicy for each of
 * its workloads (the namespace denies everything else), the PodMonitor of their metrics, the bootstrap Issuer, the site's
 * root CA Certificate and the ClusterIssuers every platform certificate comes from.
 */
export class CertManagerChart extends Chart {
  constructor(scope: Construct, id: string, props: CertManagerChartProps) {
    // No chart namespace: cdk8s would put it on the cluster-scoped ClusterIssuers too.
    super(scope, id, { disableResourceNameHashes: true, labels: { ...props.labels } });
    const namespace = props.namespace;

    for (const policy of props.podPolicies) {
      new KubeNetworkPolicy(this, `network-policy-${policy.name}`, {
        metadata: { name: policy.name, namespace },
        spec: {
          podSelector: { matchLabels: { ...policy.podLabels } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: policy.ingress.map((rule) => ({ from: peers(rule.peer), ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(rule.port) }] })),
          egress: [
            ...policy.egress.map((rule) => ({ to: peers(rule.peer), ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(rule.port) }] })),
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
              ports: DNS_PORTS,
            },
          ],
        },
      });
    }

    // The controller exports the certificate series the alerts read (expiry, readiness); the
    // webhook and cainjector their own health. Pods, not a Service: only the leader-elected
    // controller works, and each replica is a target of its own.
    new PodMonitor(this, 'pod-monitor', {
      metadata: { name: 'cert-manager', namespace, labels: { ...props.podMonitor.labels } },
      spec: {
        selector: {
          matchLabels: { 'app.kubernetes.io/instance': props.podMonitor.instance },
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: [...props.podMonitor.components] }],
        },
        podMetricsEndpoints: [{ port: props.podMonitor.portName, path: '/metrics', interval: '60s' }],
      },
    });

    // Namespaced, so no other namespace can mint self-signed certificates with it.
    new Issuer(this, 'bootstrap-issuer', {
      metadata: { name: props.bootstrapIssuerName, namespace },
      spec: { selfSigned: {} },
    });

    new Certificate(this, 'root-ca', {
      metadata: { name: props.root.name, namespace },
      spec: {
        isCa: true,
        commonName: props.root.commonName,
        subject: { organizations: [props.root.organization], countries: [props.root.country] },
        secretName: props.root.name,
        duration: props.root.duration,
        renewBefore: props.root.renewBefore,
        // RSA 4096 for a trust anchor that lives for years and that the bank's own systems may
        // have to import; it signs rarely, so its cost does not matter. The key is kept when
        // the certificate renews, so what it signed stays valid under the renewed root;
        // replacing the key is a deliberate step (see CertManager).
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.RSA, size: 4096, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER },
        usages: [CertificateSpecUsages.CERT_SIGN, CertificateSpecUsages.CRL_SIGN, CertificateSpecUsages.DIGITAL_SIGNATURE],
        issuerRef: { name: props.bootstrapIssuerName, kind: 'Issuer', group: 'cert-manager.io' },
        revisionHistoryLimit: 3,
      },
    });

    new ClusterIssuer(this, 'internal-issuer', {
      metadata: { name: props.internalIssuerName },
      spec: { ca: { secretName: props.root.name } },
    });

    if (props.publicIssuer) {
      new ClusterIssuer(this, 'public-issuer', {
        metadata: { name: props.publicIssuer.name },
        spec: { ca: { secretName: props.publicIssuer.caSecretName } },
      });
    }
  }
}

function peers(peer: CertManagerPeer): NetworkPolicyPeer[] {
  if ('addressBlocks' in peer) return peer.addressBlocks.map((cidr) => ({ ipBlock: { cidr } }));
  return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } }, podSelector: { matchLabels: { ...peer.podLabels } } }];
}
