import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { PodPoliciesChart } from '../charts-ts/pod-policies-chart';
import type { ContainerResources } from './cert-manager-values';
import { eckOperatorValues } from './eck-operator-values';
import { ELASTICSEARCH_HTTP_PORT, LOGGING_NAMES } from './logging-names';
import type { PodBudget } from './namespace-budget';
import { PlatformComponent, objectKey, type HelmReleaseSpec, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import type { ApiServerPeer, MetricsScraper } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { requestCertificate, type CertificateIssuers, type TlsCertificate } from './tls-certificate';
import { chartSource, pinnedImage } from './versions';

/** The release's name (`app.kubernetes.io/instance` on the operator's pods). */
export const ECK_OPERATOR_RELEASE = 'eck-operator';
/** The chart's name for the operator: its StatefulSet, ServiceAccount, ClusterRole and webhook Service (`elastic-operator-webhook`) are named after it. */
export const ECK_OPERATOR_NAME = 'elastic-operator';
/** The port the operator's validating webhook listens on (the Service's 443 forwards to it). */
export const ECK_WEBHOOK_PORT = 9443;
/** The port the operator serves its Prometheus metrics on. */
export const ECK_METRICS_PORT = 8080;
/** Kibana's HTTP port, which the operator calls (ECK's `kibana/network.HTTPPort`). */
export const KIBANA_HTTP_PORT = 5601;
/** Logstash's API port, which the operator calls (ECK's `logstash/network.HTTPPort`). */
export const LOGSTASH_API_PORT = 9600;

/** The chart's defaults: enough for the platform's one Elasticsearch, Kibana, Logstash and Filebeat per site. */
export const DEFAULT_ECK_OPERATOR_RESOURCES: Readonly<ContainerResources> = { cpuRequest: '100m', memoryRequest: '150Mi', cpuLimit: '1', memoryLimit: '1Gi' };

/** The kinds of pod ECK runs, by the `common.k8s.elastic.co/type` label it gives them. */
export type EckPodKind = 'elasticsearch' | 'kibana' | 'logstash' | 'beat';

const NAME_LABELS: Readonly<Record<EckPodKind, string>> = {
  elasticsearch: 'elasticsearch.k8s.elastic.co/cluster-name',
  kibana: 'kibana.k8s.elastic.co/name',
  logstash: 'logstash.k8s.elastic.co/name',
  beat: 'beat.k8s.elastic.co/name',
};

/**
 * The labels ECK gives the pods of one Elastic resource (its `NewLabels` for each kind): a
 * NetworkPolicy selects them by these. `name` is the resource's name (`LOGGING_NAMES`).
 */
export function eckPodLabels(kind: EckPodKind, name: string): Readonly<Record<string, string>> {
  return { 'common.k8s.elastic.co/type': kind, [NAME_LABELS[kind]]: name };
}

export interface EckOperatorProps {
  /** The site's cluster baseline: the operator runs in its `observability` namespace and manages that and `node-agents` (Filebeat). */
  readonly cluster: SiteCluster;
  /** The site's in-country registry mirror (a host name): the operator's image by digest, and every Elastic stack image it names. */
  readonly registry: string;
  /** The site's in-country chart repository. */
  readonly chartRepository: string;
  /**
   * The chart version to install: the environment's pin (`charts.eckOperator` in
   * `environments/pins/<env>.json`), one of `SUPPORTED_CHART_VERSIONS.eckOperator`.
   * @default - `VERSIONS.charts.eckOperator.version`
   */
  readonly chartVersion?: string;
  /** The site's issuers: the validating webhook's certificate comes from the internal CA. */
  readonly issuers: CertificateIssuers;
  /** The API server: the operator watches and writes through it, and it calls the webhook. */
  readonly apiServer: ApiServerPeer;
  /** The site's Prometheus: it scrapes the operator's metrics, selecting the PodMonitor by its labels. */
  readonly metrics: MetricsScraper;
  /**
   * Requests and limits of the operator's container.
   * @default DEFAULT_ECK_OPERATOR_RESOURCES
   */
  readonly resources?: ContainerResources;
}

/**
 * The ECK operator (Elastic Cloud on Kubernetes) at one site, from the pinned eck-operator
 * chart: it runs the logging stack's Elasticsearch, Kibana and Logstash in the observability
 * namespace and Filebeat in node-agents from their custom resources, whose CRDs the base
 * layer applies. One leader-elected replica; its image, and the Elastic images it names, from
 * the site's registry; its validating webhook's certificate from the site's internal CA; its
 * metrics scraped by the site's Prometheus; a NetworkPolicy of its own (see `eckOperatorValues`
 * for what is taken from the chart).
 */
export class EckOperator extends PlatformComponent {
  public readonly namespace: string;
  /** The namespaces whose Elastic resources the operator runs (and only those). */
  public readonly managedNamespaces: readonly string[];
  /** `registry/eck/eck-operator:3.5.0@sha256:...`. */
  public readonly image: string;
  public readonly resources: ContainerResources;
  /** The labels the chart gives the operator's pod. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The operator's pods: the Elastic resources' own NetworkPolicies let them in to their HTTP ports. */
  public readonly peer: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** The webhook's serving certificate (cert-manager keeps it current in its Secret). */
  public readonly webhookCertificate: TlsCertificate;
  public readonly podBudget: PodBudget;
  public readonly values: Readonly<Record<string, unknown>>;
  public override readonly helmReleases: readonly HelmReleaseSpec[];
  public override readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: EckOperatorProps) {
    super(scope, id);
    const where = `EckOperator ${this.node.path}`;
    if (typeof props.chartRepository !== 'string' || !/^https:\/\/[^/\s]+/.test(props.chartRepository)) {
      throw PlatformError.invalidProp(where, 'chartRepository', props.chartRepository, "an https:// URL of the site's in-country chart repository");
    }
    if (typeof props.registry !== 'string' || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/.test(props.registry)) {
      throw PlatformError.invalidProp(where, 'registry', props.registry, 'a registry host name, with a port if it needs one, e.g. "registry.lms.co.zm": the operator puts the Elastic images\' paths after it');
    }
    if (props.apiServer.addressBlocks.length === 0) {
      throw PlatformError.invalidProp(where, 'apiServer.addressBlocks', [], "at least one address block of the API server's endpoints (the operator's NetworkPolicy lets it in and out there)");
    }
    this.resources = props.resources ?? DEFAULT_ECK_OPERATOR_RESOURCES;
    checkRequestsWithinLimits(`${where}: resources`, this.resources);

    const ns = props.cluster.namespaces.observability;
    this.namespace = ns;
    this.managedNamespaces = [ns, props.cluster.namespaces['node-agents']];
    const pinned = pinnedImage(props.registry, 'eckOperator');
    this.image = pinned.reference;
    this.podLabels = { 'app.kubernetes.io/name': ECK_OPERATOR_NAME, 'app.kubernetes.io/instance': ECK_OPERATOR_RELEASE };
    this.peer = { namespace: ns, podLabels: this.podLabels };

    // The API server calls the webhook through its Service: `<service>.<namespace>.svc`.
    const webhookService = `${ECK_OPERATOR_NAME}-webhook`;
    const certificate = requestCertificate(this, props.issuers, {
      name: webhookService,
      namespace: ns,
      secretName: `${ECK_OPERATOR_NAME}-webhook-cert`,
      dnsNames: [`${webhookService}.${ns}.svc`, `${webhookService}.${ns}.svc.cluster.local`],
    });
    this.webhookCertificate = certificate.reference;

    // The chart sets `app.kubernetes.io/managed-by` itself: a duplicate key breaks its YAML.
    const { 'app.kubernetes.io/managed-by': _managedBy, ...labels } = props.cluster.labels;
    this.values = eckOperatorValues({
      name: ECK_OPERATOR_NAME,
      image: pinned,
      containerRegistry: props.registry,
      resources: this.resources,
      managedNamespaces: this.managedNamespaces,
      labels,
      priorityClassName: PRIORITY_CLASSES.platform.name,
      webhook: { certificate: this.webhookCertificate.name, secretName: this.webhookCertificate.secretName, port: ECK_WEBHOOK_PORT },
      metricsPort: ECK_METRICS_PORT,
      scrapeSelectorLabels: props.metrics.serviceMonitorLabels,
    });
    // A StatefulSet of one replacing its pod stops the old one first: never two at once.
    this.podBudget = { what: 'the ECK operator', pods: 1, perPod: this.resources };

    const apiServer = { addressBlocks: [...props.apiServer.addressBlocks] };
    const policies = PodPoliciesChart.render(
      {
        namespace: ns,
        labels: props.cluster.labels,
        podPolicies: [
          {
            name: ECK_OPERATOR_NAME,
            podLabels: this.podLabels,
            ingress: [
              { peer: apiServer, ports: [ECK_WEBHOOK_PORT] },
              { peer: { namespace: props.metrics.peer.namespace, podLabels: props.metrics.peer.podLabels }, ports: [ECK_METRICS_PORT] },
            ],
            egress: [
              { peer: apiServer, ports: [props.apiServer.port] },
              // The operator configures and observes the stack through each one's HTTP API.
              { peer: { namespace: ns, podLabels: eckPodLabels('elasticsearch', LOGGING_NAMES.elasticsearch) }, ports: [ELASTICSEARCH_HTTP_PORT] },
              { peer: { namespace: ns, podLabels: eckPodLabels('kibana', LOGGING_NAMES.kibana) }, ports: [KIBANA_HTTP_PORT] },
              { peer: { namespace: ns, podLabels: eckPodLabels('logstash', LOGGING_NAMES.logstash) }, ports: [LOGSTASH_API_PORT] },
            ],
          },
        ],
      },
      new Cdk8sApp(),
      'eck-operator',
    ) as unknown as KubeObject[];
    this.objects = [certificate.object, ...policies];

    const statefulSet = `StatefulSet/${ns}/${ECK_OPERATOR_NAME}`;
    this.helmReleases = [
      {
        name: ECK_OPERATOR_RELEASE,
        namespace: ns,
        chart: chartSource(props.chartRepository, 'eckOperator', props.chartVersion),
        values: this.values,
        // The pod mounts the certificate's Secret, and is reachable only through its policy.
        after: this.objects.map(objectKey),
        policySuppressions: [
          {
            ruleId: 'LMS-K8S-009',
            object: statefulSet,
            reason:
              'eck-operator chart 3.5.0 has no probe settings; the operator serves no traffic but its validating webhook (failure policy Ignore, so the API server admits while it is down) and its metrics, and its process exits when it loses its leader lease or the API server, so the kubelet restarts it without a liveness probe',
          },
        ],
      },
    ];
  }
}
