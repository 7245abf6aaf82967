import type { ContainerResources } from './cert-manager-values';
import type { IssuerRef } from './tls-certificate';
import type { PinnedImage } from './versions';

/** The images of the kube-prometheus-stack release, each from the site's registry by digest. */
export interface MonitoringImages {
  readonly operator: PinnedImage;
  readonly configReloader: PinnedImage;
  readonly prometheus: PinnedImage;
  readonly alertmanager: PinnedImage;
  readonly grafana: PinnedImage;
  readonly grafanaSidecar: PinnedImage;
  readonly kubeStateMetrics: PinnedImage;
  readonly nodeExporter: PinnedImage;
  /** Named only by the operator's default for Thanos sidecars, which the platform does not run. */
  readonly thanos: PinnedImage;
}

/** Requests and limits of each container of the release. */
export interface MonitoringResources {
  readonly operator: ContainerResources;
  readonly configReloader: ContainerResources;
  readonly prometheus: ContainerResources;
  readonly alertmanager: ContainerResources;
  readonly grafana: ContainerResources;
  readonly grafanaSidecar: ContainerResources;
  readonly kubeStateMetrics: ContainerResources;
  readonly nodeExporter: ContainerResources;
}

/** A pod's extra labels and annotations, and the volumes the Vault agent needs. */
export interface VaultAgentPod {
  /** The Vault agent injector annotations (`vaultAgentAnnotations`). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The projected service-account token volume only the agent mounts. */
  readonly tokenVolume: Readonly<Record<string, unknown>>;
}

export interface MonitoringValuesInput {
  /** Prefix of every object the chart names (`monitoring-operator`, `monitoring-prometheus`, ...). */
  readonly fullname: string;
  /** Where node-exporter runs: host network and host paths need the site's privileged namespace. */
  readonly nodeExporterNamespace: string;
  readonly images: MonitoringImages;
  readonly resources: MonitoringResources;
  /** Labels on every object and pod the chart renders. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels every pod of the platform's Prometheus carries (its NetworkPolicies select them, peers allow them). */
  readonly prometheusPodLabels: Readonly<Record<string, string>>;
  /** Prometheus selects ServiceMonitors, PodMonitors and Probes with these labels, in every namespace. */
  readonly scrapeSelectorLabels: Readonly<Record<string, string>>;
  /** Prometheus selects PrometheusRules with these labels, in every namespace. */
  readonly ruleSelectorLabels: Readonly<Record<string, string>>;
  /** Labels on every series and alert that leaves Prometheus: `environment`, `site`. */
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly prometheus: { readonly replicas: number; readonly retention: string; readonly volumeSize: string };
  readonly alertmanager: { readonly replicas: number; readonly volumeSize: string; readonly config: Readonly<Record<string, unknown>>; readonly vault: VaultAgentPod };
  readonly grafana: { readonly replicas: number; readonly vault: VaultAgentPod; readonly adminUserFile: string; readonly adminPasswordFile: string };
  /** The issuer of the operator's admission webhook certificate (the site's internal CA). */
  readonly webhookIssuer: IssuerRef;
  readonly priorityClassName: string;
  /** Seconds between scrapes and between rule evaluations. */
  readonly scrapeInterval: string;
}

const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
const NOBODY_POD = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } };

/**
 * The kube-prometheus-stack values for one site. What the platform takes from the chart and
 * what it leaves out:
 *
 * - Prometheus and Alertmanager through the operator, with their volumes, retention, replica
 *   counts and selectors from the platform: rules (`lms.co.zm/rules`) and scrape targets
 *   (`lms.co.zm/scrape`) from every namespace, as the platform's components label them.
 * - The operator's admission webhook with a certificate from the site's internal CA through
 *   cert-manager, not the chart's certgen Jobs (which would pull a public image and need
 *   cluster-wide Secret rights at install).
 * - Grafana with its admin credentials read from files the Vault agent writes (no Secret is
 *   rendered), dashboards only from labelled ConfigMaps (the platform's, whose queries are
 *   checked), the chart's own dashboards off.
 * - kube-state-metrics, and node-exporter in the site's privileged node-agents namespace.
 * - Off: the chart's default rules and dashboards (every alert is a typed platform rule that
 *   promtool tests), the CRDs (the base layer applies the vendored ones), Thanos, the
 *   Windows exporter, and scraping of control-plane components the sites' operators run
 *   outside the cluster (etcd, scheduler, controller manager, kube-proxy) or in kube-system
 *   (CoreDNS: the chart would write a Service there).
 */
export function monitoringValues(input: MonitoringValuesInput): Readonly<Record<string, unknown>> {
  const resources = (entry: ContainerResources) => ({ requests: { cpu: entry.cpuRequest, memory: entry.memoryRequest }, limits: { cpu: entry.cpuLimit, memory: entry.memoryLimit } });
  // Each chart spells a digest its own way: kube-prometheus-stack and Grafana take the hex
  // (`sha`, they add `@sha256:`), kube-state-metrics the whole digest as `sha`,
  // node-exporter the whole digest as `digest` (and refuses `sha`).
  const image = (pinned: PinnedImage) => ({ registry: pinned.registry, repository: pinned.repository, tag: pinned.tag, sha: pinned.digest.replace(/^sha256:/, '') });
  const kubeStateMetricsImage = (pinned: PinnedImage) => ({ registry: pinned.registry, repository: pinned.repository, tag: pinned.tag, sha: pinned.digest });
  const nodeExporterImage = (pinned: PinnedImage) => ({ registry: pinned.registry, repository: pinned.repository, tag: pinned.tag, digest: pinned.digest, distroless: false });
  const volumeClaim = (size: string) => ({ volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } } });
  const selector = (labels: Readonly<Record<string, string>>) => ({ matchLabels: { ...labels } });
  const scrape = selector(input.scrapeSelectorLabels);
  return {
    fullnameOverride: input.fullname,
    commonLabels: { ...input.labels },
    crds: { enabled: false },
    defaultRules: { create: false },
    windowsMonitoring: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    thanosRuler: { enabled: false },
    kubeApiServer: { enabled: true },
    kubelet: { enabled: true },
    coreDns: { enabled: false },
    kubeDns: { enabled: false },
    prometheusOperator: {
      image: image(input.images.operator),
      thanosImage: image(input.images.thanos),
      prometheusConfigReloader: { image: image(input.images.configReloader), resources: resources(input.resources.configReloader) },
      resources: resources(input.resources.operator),
      priorityClassName: input.priorityClassName,
      securityContext: NOBODY_POD,
      containerSecurityContext: RESTRICTED_CONTAINER,
      networkPolicy: { enabled: false },
      admissionWebhooks: {
        enabled: true,
        failurePolicy: 'Fail',
        patch: { enabled: false },
        certManager: { enabled: true, issuerRef: { name: input.webhookIssuer.name, kind: input.webhookIssuer.kind, group: input.webhookIssuer.group } },
        deployment: { enabled: false },
      },
      serviceMonitor: { selfMonitor: true, additionalLabels: { ...input.scrapeSelectorLabels } },
    },
    prometheus: {
      enabled: true,
      networkPolicy: { enabled: false },
      podDisruptionBudget: { enabled: input.prometheus.replicas > 1, minAvailable: 1 },
      serviceMonitor: { selfMonitor: true, additionalLabels: { ...input.scrapeSelectorLabels } },
      prometheusSpec: {
        image: image(input.images.prometheus),
        replicas: input.prometheus.replicas,
        retention: input.prometheus.retention,
        storageSpec: volumeClaim(input.prometheus.volumeSize),
        resources: resources(input.resources.prometheus),
        priorityClassName: input.priorityClassName,
        externalLabels: { ...input.externalLabels },
        scrapeInterval: input.scrapeInterval,
        evaluationInterval: input.scrapeInterval,
        podMetadata: { labels: { ...input.prometheusPodLabels } },
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
        enableAdminAPI: false,
        walCompression: true,
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: selector(input.ruleSelectorLabels),
        ruleNamespaceSelector: {},
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: scrape,
        serviceMonitorNamespaceSelector: {},
        podMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelector: scrape,
        podMonitorNamespaceSelector: {},
        probeSelectorNilUsesHelmValues: false,
        probeSelector: scrape,
        probeNamespaceSelector: {},
      },
    },
    alertmanager: {
      enabled: true,
      networkPolicy: { enabled: false },
      podDisruptionBudget: { enabled: input.alertmanager.replicas > 1, minAvailable: 1 },
      serviceMonitor: { selfMonitor: true, additionalLabels: { ...input.scrapeSelectorLabels } },
      // The platform's routing, receivers reading their URLs from the Vault agent's files.
      config: input.alertmanager.config,
      alertmanagerSpec: {
        image: image(input.images.alertmanager),
        replicas: input.alertmanager.replicas,
        storage: volumeClaim(input.alertmanager.volumeSize),
        resources: resources(input.resources.alertmanager),
        priorityClassName: input.priorityClassName,
        podMetadata: { annotations: { ...input.alertmanager.vault.annotations } },
        volumes: [input.alertmanager.vault.tokenVolume],
        securityContext: NOBODY_POD,
        // AlertmanagerConfig objects are not used: routing is the platform's, in one place.
        alertmanagerConfigSelector: { matchLabels: { 'lms.co.zm/alertmanager-config': 'unused' } },
      },
    },
    grafana: {
      enabled: true,
      replicas: input.grafana.replicas,
      image: image(input.images.grafana),
      resources: resources(input.resources.grafana),
      priorityClassName: input.priorityClassName,
      defaultDashboardsEnabled: false,
      // Admin credentials from files the Vault agent writes: the chart then renders no Secret.
      env: { GF_SECURITY_ADMIN_USER__FILE: input.grafana.adminUserFile, GF_SECURITY_ADMIN_PASSWORD__FILE: input.grafana.adminPasswordFile },
      podAnnotations: { ...input.grafana.vault.annotations },
      // Raw volumes (`extraVolumes` knows only a few kinds and turns a projected one into an emptyDir).
      extraContainerVolumes: [input.grafana.vault.tokenVolume],
      podLabels: { ...input.labels },
      ...(input.grafana.replicas > 1 ? { podDisruptionBudget: { minAvailable: 1 } } : {}),
      persistence: { enabled: false },
      initChownData: { enabled: false },
      testFramework: { enabled: false },
      rbac: { namespaced: false },
      securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { ...RESTRICTED_CONTAINER, privileged: false, seccompProfile: { type: 'RuntimeDefault' } },
      'grafana.ini': {
        analytics: { check_for_updates: false, check_for_plugin_updates: false, reporting_enabled: false },
        news: { news_feed_enabled: false },
        users: { allow_sign_up: false },
        auth: { disable_login_form: false },
        'auth.anonymous': { enabled: false },
        security: { cookie_secure: true, disable_gravatar: true },
      },
      sidecar: {
        image: image(input.images.grafanaSidecar),
        resources: resources(input.resources.grafanaSidecar),
        securityContext: { ...RESTRICTED_CONTAINER, seccompProfile: { type: 'RuntimeDefault' } },
        dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL', folderAnnotation: 'grafana_folder', provider: { foldersFromFilesStructure: true, allowUiUpdates: false } },
        datasources: { enabled: true, defaultDatasourceEnabled: true, uid: 'prometheus' },
      },
      serviceMonitor: { enabled: true, labels: { ...input.scrapeSelectorLabels } },
    },
    kubeStateMetrics: { enabled: true },
    'kube-state-metrics': {
      image: kubeStateMetricsImage(input.images.kubeStateMetrics),
      resources: resources(input.resources.kubeStateMetrics),
      priorityClassName: input.priorityClassName,
      securityContext: { enabled: true, ...NOBODY_POD },
      containerSecurityContext: RESTRICTED_CONTAINER,
      prometheus: { monitor: { enabled: true, additionalLabels: { ...input.scrapeSelectorLabels } } },
    },
    nodeExporter: { enabled: true },
    'prometheus-node-exporter': {
      namespaceOverride: input.nodeExporterNamespace,
      image: nodeExporterImage(input.images.nodeExporter),
      resources: resources(input.resources.nodeExporter),
      priorityClassName: 'system-node-critical',
      podLabels: { ...input.labels },
      securityContext: NOBODY_POD,
      containerSecurityContext: { ...RESTRICTED_CONTAINER, seccompProfile: { type: 'RuntimeDefault' } },
      prometheus: { monitor: { enabled: true, additionalLabels: { ...input.scrapeSelectorLabels } } },
    },
  };
}
