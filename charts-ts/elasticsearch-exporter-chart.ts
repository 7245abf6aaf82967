import { Chart } from 'cdk8s';
import { IntOrString, KubeDeployment, KubeNetworkPolicy, KubeService, KubeServiceAccount, Quantity, type NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { DNS_EGRESS, restrictedContainerSecurity, restrictedPodSecurity } from './restricted-pod';
import { ServiceMonitor } from './imports/servicemonitor-monitoring.coreos.com';

/** Pods selected by namespace and labels, on one TCP port. */
export interface ExporterPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

export interface ElasticsearchExporterChartProps {
  /** The namespace of the exporter and of the Elasticsearch cluster it reads. */
  readonly namespace: string;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ServiceAccount, Deployment, Service, ServiceMonitor and NetworkPolicy: Prometheus' `job`. */
  readonly name: string;
  readonly image: string;
  readonly runAsUser: number;
  readonly priorityClassName: string;
  readonly resources: { readonly cpuRequest: string; readonly memoryRequest: string; readonly cpuLimit: string; readonly memoryLimit: string };
  /** The exporter's arguments. */
  readonly args: readonly string[];
  readonly metricsPort: number;
  /** The Secret and key of the Elasticsearch user's password (`ES_PASSWORD`), and the user (`ES_USERNAME`). */
  readonly credentials: { readonly username: string; readonly secretName: string; readonly key: string };
  /** The Secret holding the Elasticsearch HTTP CA (`ca.crt`) and where it is mounted. */
  readonly ca: { readonly secretName: string; readonly directory: string };
  /** Scrape interval and timeout in Prometheus' notation. */
  readonly interval: string;
  readonly scrapeTimeout: string;
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
  /** Prometheus' pods: the only ones let in. */
  readonly scraper: ExporterPeer;
  /** Elasticsearch's pods and HTTP port: the only ones the exporter reaches, besides DNS. */
  readonly elasticsearch: ExporterPeer;
}

/**
 * The Elasticsearch exporter: its ServiceAccount (no token mounted), one pod of the restricted
 * Pod Security level, the metrics Service and ServiceMonitor, and its NetworkPolicy.
 */
export class ElasticsearchExporterChart extends Chart {
  constructor(scope: Construct, id: string, props: ElasticsearchExporterChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    const podLabels = { 'app.kubernetes.io/name': props.name };
    const port = props.metricsPort;

    new KubeServiceAccount(this, 'service-account', { metadata: { name: props.name }, automountServiceAccountToken: false });
    const probe = { httpGet: { path: '/healthz', port: IntOrString.fromNumber(port) }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 };
    new KubeDeployment(this, 'deployment', {
      metadata: { name: props.name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...podLabels } },
        template: {
          metadata: { labels: { ...podLabels } },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            priorityClassName: props.priorityClassName,
            securityContext: restrictedPodSecurity(props.runAsUser),
            containers: [
              {
                name: 'exporter',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                args: [...props.args],
                env: [
                  { name: 'ES_USERNAME', value: props.credentials.username },
                  { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentials.secretName, key: props.credentials.key } } },
                ],
                ports: [{ name: 'metrics', containerPort: port }],
                livenessProbe: probe,
                readinessProbe: probe,
                resources: {
                  requests: { cpu: Quantity.fromString(props.resources.cpuRequest), memory: Quantity.fromString(props.resources.memoryRequest) },
                  limits: { cpu: Quantity.fromString(props.resources.cpuLimit), memory: Quantity.fromString(props.resources.memoryLimit) },
                },
                securityContext: restrictedContainerSecurity(props.runAsUser),
                volumeMounts: [{ name: 'ca', mountPath: props.ca.directory, readOnly: true }],
              },
            ],
            volumes: [{ name: 'ca', secret: { secretName: props.ca.secretName, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }],
          },
        },
      },
    });
    new KubeService(this, 'service', {
      metadata: { name: props.name, labels: { ...podLabels } },
      spec: { selector: { ...podLabels }, ports: [{ name: 'metrics', port, targetPort: IntOrString.fromNumber(port) }] },
    });
    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: props.name, labels: { ...props.serviceMonitorLabels } },
      spec: {
        selector: { matchLabels: { ...podLabels } },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: props.interval, scrapeTimeout: props.scrapeTimeout }],
      },
    });

    const peer = (p: ExporterPeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    const tcp = (number: number) => [{ protocol: 'TCP', port: IntOrString.fromNumber(number) }];
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [peer(props.scraper)], ports: tcp(port) }],
        egress: [{ to: [peer(props.elasticsearch)], ports: tcp(props.elasticsearch.port) }, DNS_EGRESS],
      },
    });
  }
}
