import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { PodPoliciesChart, type PodPolicy } from '../charts-ts/pod-policies-chart';
import { VAULT_AGENT_TLS_CA_FILE, VAULT_SECRETS_DIR, VAULT_TOKEN_VOLUME, vaultAgentAnnotations } from '../charts-ts/vault-agent-annotations';
import type { AlertmanagerConfig } from './alertmanager-config';
import type { ContainerResources } from './cert-manager-values';
import { RULES_SELECTOR_LABELS } from './monitoring-rules';
import { type MonitoringImages, type MonitoringResources, monitoringValues } from './monitoring-values';
import { sumResources, type PodBudget } from './namespace-budget';
import { PlatformComponent, objectKey, type HelmReleaseSpec, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import type { ApiServerPeer, MetricsScraper, VaultEndpoint } from './service-references';
import { NAMESPACE_ROLES } from './namespaces';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import type { CertificateIssuers } from './tls-certificate';
import { VAULT_AGENT_RESOURCES } from './vault-values';
import { VaultConsumer, VaultSecret } from './vault-secret';
import { chartSource, pinnedImage } from './versions';

/** The release's name, and the prefix of every object the chart names (`monitoring-prometheus`, ...). */
export const MONITORING_RELEASE = 'monitoring';
export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
/** Alertmanager replicas gossip silences and notifications to each other on this port, TCP and UDP. */
export const ALERTMANAGER_CLUSTER_PORT = 9094;
export const GRAFANA_PORT = 3000;
/** The operator's HTTPS port: its admission webhook and its metrics. */
export const OPERATOR_PORT = 10250;
/** kube-state-metrics: the objects' metrics, and its own. */
export const KUBE_STATE_METRICS_PORTS = [8080, 8081] as const;
/** Ports Prometheus scrapes on the nodes themselves: the kubelet (and cAdvisor), node-exporter and the MetalLB speakers. */
export const NODE_SCRAPE_PORTS = [10250, 9100, 9120] as const;
/** node-exporter's port, on each node's address (host network). */
export const NODE_EXPORTER_PORT = 9100;
/** The labels a ServiceMonitor, PodMonitor or Probe carries for the site's Prometheus to select it. */
export const SCRAPE_SELECTOR_LABELS: Readonly<Record<string, string>> = { 'lms.co.zm/scrape': 'true' };
/** The labels node-exporter's chart gives its pods. */
export const NODE_EXPORTER_POD_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': MONITORING_RELEASE };
/** Where Grafana reads its admin user and password, written by the Vault agent. */
export const GRAFANA_ADMIN_FILES = { user: 'grafana-admin-user', password: 'grafana-admin-password' } as const;

export const MONITORING_WORKLOADS = ['operator', 'configReloader', 'prometheus', 'alertmanager', 'grafana', 'grafanaSidecar', 'kubeStateMetrics', 'nodeExporter'] as const;
export type MonitoringWorkload = (typeof MONITORING_WORKLOADS)[number];

/** Requests and limits of every container but Prometheus's (which is sized by the environment). */
export const DEFAULT_MONITORING_RESOURCES: Readonly<Omit<MonitoringResources, 'prometheus'>> = {
  operator: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  configReloader: { cpuRequest: '10m', memoryRequest: '32Mi', cpuLimit: '100m', memoryLimit: '64Mi' },
  alertmanager: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '250m', memoryLimit: '256Mi' },
  grafana: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' },
  grafanaSidecar: { cpuRequest: '25m', memoryRequest: '64Mi', cpuLimit: '100m', memoryLimit: '128Mi' },
  kubeStateMetrics: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '250m', memoryLimit: '256Mi' },
  nodeExporter: { cpuRequest: '25m', memoryRequest: '32Mi', cpuLimit: '200m', memoryLimit: '64Mi' },
};

/** The environment's `monitoring` settings the stack takes. */
export interface MonitoringSettingsProps {
  readonly prometheus: { readonly replicas: number; readonly retention: { toString(): string }; readonly volumeSize: string; readonly resources: ContainerResources };
  readonly alertmanager: { readonly replicas: number; readonly volumeSize: string; readonly receiverAddressBlocks: readonly string[]; readonly receiverPort: number };
  readonly grafana: { readonly replicas: number };
}

export interface MonitoringStackProps {
  /** The site's cluster baseline: the stack runs in its `observability` namespace, node-exporter in `node-agents`. */
  readonly cluster: SiteCluster;
  /** The environment's name: the Vault secrets' prefix and the `environment` label on every series. */
  readonly environmentName: string;
  /** The site's in-country registry mirror: every image comes from it by digest. */
  readonly registry: string;
  /** The site's in-country chart repository. */
  readonly chartRepository: string;
  /**
   * The chart version to install: the environment's pin (`charts.kubePrometheusStack` in
   * `environments/pins/<env>.json`), one of `SUPPORTED_CHART_VERSIONS.kubePrometheusStack`.
   * @default - `VERSIONS.charts.kubePrometheusStack.version`
   */
  readonly chartVersion?: string;
  /** The site's issuers: the operator's admission webhook certificate comes from the internal CA. */
  readonly issuers: CertificateIssuers;
  /** The environment's `monitoring` settings. */
  readonly settings: MonitoringSettingsProps;
  /** The platform's routing of alerts (`AlertmanagerConfig.define`). */
  readonly alerting: AlertmanagerConfig;
  /** The site's Vault: Grafana's admin credentials and the receivers' URLs come from it. */
  readonly vault: VaultEndpoint;
  /** The API server: service discovery, the operator, the sidecars; it calls the operator's webhook. */
  readonly apiServer: ApiServerPeer;
  /** The address ranges of the site's nodes: Prometheus scrapes the kubelets and node-exporter there. */
  readonly nodeRanges: readonly string[];
  /**
   * Seconds between scrapes and rule evaluations.
   * @default '30s'
   */
  readonly scrapeInterval?: string;
  /**
   * Requests and limits of the containers other than Prometheus.
   * @default DEFAULT_MONITORING_RESOURCES
   */
  readonly resources?: Partial<Omit<MonitoringResources, 'prometheus'>>;
}

/**
 * Metrics and alerting at one site, from the pinned kube-prometheus-stack chart: the
 * Prometheus operator, Prometheus (retention, volume and replicas from the environment),
 * clustered Alertmanager routing the platform's alerts, Grafana with its admin credentials
 * from Vault and the platform's dashboards, kube-state-metrics and node-exporter. Every image
 * from the site's registry by digest; a NetworkPolicy per workload; the typed rules
 * (`MonitoringRules`), scrape targets (ServiceMonitors labelled `SCRAPE_SELECTOR_LABELS`) and
 * dashboards are other components' objects, selected by label from every namespace.
 */
export class MonitoringStack extends PlatformComponent {
  public readonly namespace: string;
  /** Where node-exporter runs (host network, host paths). */
  public readonly nodeExporterNamespace: string;
  public readonly images: Readonly<Record<keyof MonitoringImages, string>>;
  public readonly resources: MonitoringResources;
  /** The labels the chart and the operator give each workload's pods. */
  public readonly podLabels: Readonly<Record<'prometheus' | 'alertmanager' | 'grafana' | 'operator' | 'kubeStateMetrics', Readonly<Record<string, string>>>>;
  /** What other components give to be scraped: the scraper's pods and the labels it selects by. */
  public readonly scraper: MetricsScraper;
  /** `http://monitoring-prometheus.<ns>.svc:9090`: the site's Prometheus API (Grafana's data source). */
  public readonly prometheusUrl: string;
  /** Grafana's admin credentials (`username`, `password`), which an operator puts in Vault. */
  public readonly grafanaAdmin: VaultSecret;
  /** The receivers' webhook URLs: one key per file the Alertmanager configuration reads, `-` written `_` (`on_call_pager_url`). */
  public readonly alertReceivers: VaultSecret;
  public readonly podBudgets: readonly PodBudget[];
  public readonly values: Readonly<Record<string, unknown>>;
  public override readonly vaultConsumers: readonly VaultConsumer[];
  public override readonly helmReleases: readonly HelmReleaseSpec[];
  public override readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    const where = `MonitoringStack ${this.node.path}`;
    const ns = props.cluster.namespaces.observability;
    this.namespace = ns;
    this.nodeExporterNamespace = props.cluster.namespaces['node-agents'];
    if (typeof props.chartRepository !== 'string' || !/^https:\/\/[^/\s]+/.test(props.chartRepository)) {
      throw PlatformError.invalidProp(where, 'chartRepository', props.chartRepository, "an https:// URL of the site's in-country chart repository");
    }
    const scrapeInterval = props.scrapeInterval ?? '30s';
    if (!/^[1-9][0-9]*s$/.test(scrapeInterval) || Number(scrapeInterval.slice(0, -1)) > 120) {
      throw PlatformError.invalidProp(where, 'scrapeInterval', scrapeInterval, 'whole seconds from "1s" to "120s", e.g. "30s" (the alerts\' rate windows need several samples)');
    }
    for (const key of Object.keys(props.resources ?? {})) {
      if (!(MONITORING_WORKLOADS as readonly string[]).includes(key) || key === 'prometheus') {
        throw PlatformError.invalidProp(where, 'resources', key, `containers ${MONITORING_WORKLOADS.filter((name) => name !== 'prometheus').join(', ')} (Prometheus's come from the environment)`);
      }
    }
    this.resources = { ...DEFAULT_MONITORING_RESOURCES, ...props.resources, prometheus: props.settings.prometheus.resources };
    for (const name of MONITORING_WORKLOADS) checkRequestsWithinLimits(`${where}: resources.${name}`, this.resources[name]);

    const pinned = {
      operator: pinnedImage(props.registry, 'prometheusOperator'),
      configReloader: pinnedImage(props.registry, 'prometheusConfigReloader'),
      prometheus: pinnedImage(props.registry, 'prometheus'),
      alertmanager: pinnedImage(props.registry, 'alertmanager'),
      grafana: pinnedImage(props.registry, 'grafana'),
      grafanaSidecar: pinnedImage(props.registry, 'grafanaSidecar'),
      kubeStateMetrics: pinnedImage(props.registry, 'kubeStateMetrics'),
      nodeExporter: pinnedImage(props.registry, 'nodeExporter'),
      thanos: pinnedImage(props.registry, 'thanos'),
    };
    this.images = Object.fromEntries(Object.entries(pinned).map(([name, image]) => [name, image.reference])) as Record<keyof MonitoringImages, string>;

    const prometheusName = `${MONITORING_RELEASE}-prometheus`;
    const alertmanagerName = `${MONITORING_RELEASE}-alertmanager`;
    this.podLabels = {
      prometheus: { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': prometheusName },
      alertmanager: { 'app.kubernetes.io/name': 'alertmanager', 'alertmanager': alertmanagerName },
      grafana: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': MONITORING_RELEASE },
      operator: { app: 'kube-prometheus-stack-operator', release: MONITORING_RELEASE },
      kubeStateMetrics: { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': MONITORING_RELEASE },
    };
    this.scraper = { peer: { namespace: ns, podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: PROMETHEUS_PORT }, serviceMonitorLabels: SCRAPE_SELECTOR_LABELS };
    this.prometheusUrl = `http://${prometheusName}.${ns}.svc:${PROMETHEUS_PORT}`;

    // Secrets: Grafana's admin and the receivers' URLs, each read by its own workload's agent.
    this.grafanaAdmin = VaultSecret.kv(props.environmentName, 'grafana-admin');
    this.alertReceivers = VaultSecret.kv(props.environmentName, 'alert-receivers');
    const grafanaConsumer = new VaultConsumer({ serviceAccount: `${MONITORING_RELEASE}-grafana`, namespace: ns, role: 'grafana', secrets: [this.grafanaAdmin] });
    const alertmanagerConsumer = new VaultConsumer({ serviceAccount: alertmanagerName, namespace: ns, role: 'alertmanager', secrets: [this.alertReceivers] });
    this.vaultConsumers = [grafanaConsumer, alertmanagerConsumer];
    const agent = { address: props.vault.address, tlsSecret: props.vault.caSecretName, caCertFile: VAULT_AGENT_TLS_CA_FILE };
    const tokenVolume = { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } };
    const receiverFiles = props.alerting.secretFiles.map((file) => file.slice(file.lastIndexOf('/') + 1));
    for (const file of props.alerting.secretFiles) {
      if (!file.startsWith(`${VAULT_SECRETS_DIR}/`)) {
        throw PlatformError.invalidProp(where, 'alerting', file, `receiver URL files in ${VAULT_SECRETS_DIR}/, where the Vault agent writes them`);
      }
    }
    const grafanaAnnotations = vaultAgentAnnotations({
      ...agent,
      role: grafanaConsumer.role,
      secrets: [
        { file: GRAFANA_ADMIN_FILES.user, path: this.grafanaAdmin.dataPath, key: 'username' },
        { file: GRAFANA_ADMIN_FILES.password, path: this.grafanaAdmin.dataPath, key: 'password' },
      ],
    });
    const alertmanagerAnnotations = vaultAgentAnnotations({
      ...agent,
      role: alertmanagerConsumer.role,
      // Keys are the file names with `_` for `-`: agent templates read them as identifiers.
      secrets: receiverFiles.map((file) => ({ file, path: this.alertReceivers.dataPath, key: file.replace(/-/g, '_') })),
    });

    // The chart sets `app.kubernetes.io/part-of` and `managed-by` itself: a duplicate key breaks its YAML.
    const { 'app.kubernetes.io/managed-by': _managedBy, 'app.kubernetes.io/part-of': _partOf, ...labels } = props.cluster.labels;
    this.values = monitoringValues({
      fullname: MONITORING_RELEASE,
      nodeExporterNamespace: this.nodeExporterNamespace,
      images: pinned,
      resources: this.resources,
      labels,
      prometheusPodLabels: this.podLabels.prometheus,
      scrapeSelectorLabels: SCRAPE_SELECTOR_LABELS,
      ruleSelectorLabels: RULES_SELECTOR_LABELS,
      externalLabels: { environment: props.environmentName, site: props.cluster.siteName },
      prometheus: { replicas: props.settings.prometheus.replicas, retention: props.settings.prometheus.retention.toString(), volumeSize: props.settings.prometheus.volumeSize },
      alertmanager: { replicas: props.settings.alertmanager.replicas, volumeSize: props.settings.alertmanager.volumeSize, config: props.alerting.config as unknown as Readonly<Record<string, unknown>>, vault: { annotations: alertmanagerAnnotations, tokenVolume } },
      grafana: { replicas: props.settings.grafana.replicas, vault: { annotations: grafanaAnnotations, tokenVolume }, adminUserFile: `${VAULT_SECRETS_DIR}/${GRAFANA_ADMIN_FILES.user}`, adminPasswordFile: `${VAULT_SECRETS_DIR}/${GRAFANA_ADMIN_FILES.password}` },
      webhookIssuer: props.issuers.internal,
      priorityClassName: PRIORITY_CLASSES.platform.name,
      scrapeInterval,
    });

    const r = this.resources;
    this.podBudgets = [
      { what: 'Prometheus servers', pods: props.settings.prometheus.replicas, perPod: sumResources(`${where}: Prometheus pod`, [r.prometheus, r.configReloader]), volumes: { claims: 1, storage: props.settings.prometheus.volumeSize } },
      { what: 'Alertmanagers', pods: props.settings.alertmanager.replicas, perPod: sumResources(`${where}: Alertmanager pod`, [r.alertmanager, r.configReloader, VAULT_AGENT_RESOURCES]), volumes: { claims: 1, storage: props.settings.alertmanager.volumeSize } },
      // Rolling updates surge one pod of each Deployment.
      { what: 'Grafana', pods: props.settings.grafana.replicas + 1, perPod: sumResources(`${where}: Grafana pod`, [r.grafana, r.grafanaSidecar, r.grafanaSidecar, VAULT_AGENT_RESOURCES]) },
      { what: 'the Prometheus operator', pods: 2, perPod: r.operator },
      { what: 'kube-state-metrics', pods: 2, perPod: r.kubeStateMetrics },
    ];

    const apiServer = { addressBlocks: [...props.apiServer.addressBlocks] };
    const prometheus = { namespace: ns, podLabels: this.podLabels.prometheus };
    const alertmanager = { namespace: ns, podLabels: this.podLabels.alertmanager };
    const grafana = { namespace: ns, podLabels: this.podLabels.grafana };
    const vault = { namespace: props.vault.peer.namespace, podLabels: props.vault.peer.podLabels };
    const siteNamespaces = [...NAMESPACE_ROLES.map((role) => props.cluster.namespaces[role]), 'kube-system'].sort();
    const podPolicies: PodPolicy[] = [
      {
        name: prometheusName,
        podLabels: this.podLabels.prometheus,
        ingress: [{ peer: grafana, ports: [PROMETHEUS_PORT] }],
        egress: [
          // Each target's own metrics port, in every namespace of the site.
          { peer: { namespaces: siteNamespaces }, ports: [] },
          { peer: { addressBlocks: [...props.nodeRanges] }, ports: [...NODE_SCRAPE_PORTS] },
          { peer: apiServer, ports: [props.apiServer.port] },
          { peer: alertmanager, ports: [ALERTMANAGER_PORT] },
        ],
      },
      {
        name: alertmanagerName,
        podLabels: this.podLabels.alertmanager,
        ingress: [
          { peer: prometheus, ports: [ALERTMANAGER_PORT] },
          { peer: grafana, ports: [ALERTMANAGER_PORT] },
          { peer: alertmanager, ports: [ALERTMANAGER_CLUSTER_PORT], protocols: ['TCP', 'UDP'] },
        ],
        egress: [
          { peer: alertmanager, ports: [ALERTMANAGER_CLUSTER_PORT], protocols: ['TCP', 'UDP'] },
          { peer: { addressBlocks: [...props.settings.alertmanager.receiverAddressBlocks] }, ports: [props.settings.alertmanager.receiverPort] },
          { peer: vault, ports: [props.vault.peer.port] },
        ],
      },
      {
        name: `${MONITORING_RELEASE}-grafana`,
        podLabels: this.podLabels.grafana,
        ingress: [{ peer: prometheus, ports: [GRAFANA_PORT] }],
        egress: [
          { peer: prometheus, ports: [PROMETHEUS_PORT] },
          { peer: alertmanager, ports: [ALERTMANAGER_PORT] },
          // The sidecars watch ConfigMaps for dashboards and data sources.
          { peer: apiServer, ports: [props.apiServer.port] },
          { peer: vault, ports: [props.vault.peer.port] },
        ],
      },
      {
        name: `${MONITORING_RELEASE}-operator`,
        podLabels: this.podLabels.operator,
        ingress: [
          // The API server calls the admission webhook that validates PrometheusRules.
          { peer: apiServer, ports: [OPERATOR_PORT] },
          { peer: prometheus, ports: [OPERATOR_PORT] },
        ],
        egress: [{ peer: apiServer, ports: [props.apiServer.port] }],
      },
      {
        name: `${MONITORING_RELEASE}-kube-state-metrics`,
        podLabels: this.podLabels.kubeStateMetrics,
        ingress: [{ peer: prometheus, ports: [...KUBE_STATE_METRICS_PORTS] }],
        egress: [{ peer: apiServer, ports: [props.apiServer.port] }],
      },
    ];
    const policies = PodPoliciesChart.render({ namespace: ns, labels: props.cluster.labels, podPolicies }, new Cdk8sApp(), 'monitoring') as unknown as KubeObject[];
    // node-exporter runs on the host network, where NetworkPolicies do not reach on most
    // network plugins; its policy still states who scrapes it, for those that do and for review.
    const nodeExporterPolicy = PodPoliciesChart.render(
      {
        namespace: this.nodeExporterNamespace,
        labels: props.cluster.labels,
        podPolicies: [{ name: `${MONITORING_RELEASE}-node-exporter`, podLabels: NODE_EXPORTER_POD_LABELS, ingress: [{ peer: prometheus, ports: [NODE_EXPORTER_PORT] }], egress: [] }],
      },
      new Cdk8sApp(),
      'node-exporter',
    ) as unknown as KubeObject[];
    policies.push(...nodeExporterPolicy);
    this.objects = policies;
    this.helmReleases = [
      {
        name: MONITORING_RELEASE,
        namespace: ns,
        chart: chartSource(props.chartRepository, 'kubePrometheusStack', props.chartVersion),
        values: this.values,
        after: policies.map(objectKey),
        policySuppressions: [
          {
            ruleId: 'LMS-K8S-009',
            object: `Deployment/${ns}/${MONITORING_RELEASE}-grafana`,
            reason:
              "Grafana's two sidecars (dashboards, data sources) have no probes: they serve nothing but watch ConfigMaps through the API server and write files Grafana reads, and the process exits (and is restarted) when its watch fails; the grafana container keeps the chart's readiness and liveness probes on /api/health, which the rendered-chart test checks",
          },
        ],
      },
    ];
  }
}
