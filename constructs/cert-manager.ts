import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { CertManagerChart, type CertManagerPodPolicy } from '../charts-ts/cert-manager-chart';
import { certManagerValues, type CertManagerValues, type CertManagerWorkload, type ContainerResources } from './cert-manager-values';
import type { Duration } from './duration';
import { PlatformComponent, objectKey, type HelmReleaseSpec, type KubeObject, type PolicySuppression } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import { checkRequestsWithinLimits } from './quantities';
import type { ApiServerPeer, MetricsScraper } from './service-references';
import { PRIORITY_CLASSES, type SiteCluster } from './site-cluster';
import { certManagerDuration, certificateMetrics, checkLifetime, isDnsLabel, type CertificateIssuers, type CertificateMetrics, type IssuerRef, type TrustAnchor } from './tls-certificate';
import { chartSource, pinnedImage, type PinnedImage } from './versions';

/**
 * The platform's certificates at one site: cert-manager from the pinned chart, and the
 * issuers every platform certificate comes from.
 *
 * Why an internal CA in cert-manager and not Vault PKI: Vault serves its API over TLS, so it
 * needs a certificate before it can issue any; a CA that exists before Vault breaks the
 * circle. Vault PKI can later take over issuing as an intermediate under this root (a `vault`
 * ClusterIssuer under the same name), without clients changing what they trust.
 *
 * The chain: a namespaced self-signed Issuer signs only the root CA Certificate (RSA 4096,
 * `rootValidity` long); a `CA` ClusterIssuer `lms-<environment>-ca` signs every platform
 * certificate with the root's key (ECDSA P-256 leaves, `validity` long, renewed `renewBefore`
 * ahead). The public host's certificate comes from `lms-<environment>-public`, a `CA`
 * ClusterIssuer over the bank's CA key pair, or from the internal CA.
 *
 * Where the root key lives: in the Secret `lms-<environment>-root-ca` in cert-manager's
 * namespace, at each site. Each site makes its own root: the issuer name is the same at both
 * sites (components render the same objects at either), but the keys differ, so either site
 * can be built or rebuilt alone and no private key ever crosses the link between the sites.
 * Clients that verify the other site's certificates (cross-site replication) must trust both
 * roots: each root's certificate (public, no key) is the `ca.crt` of its Secret, and such
 * clients are given the two as one bundle.
 *
 * Rotation: cert-manager renews the root certificate `validity` before it expires, keeping
 * its key, so every certificate the old root signed expires no later than the old root
 * and verifies under both the old and the renewed root certificate: nothing breaks. Every
 * issued Secret's `ca.crt` moves to the renewed root as its certificate renews (within
 * `validity`); consumers outside the site (the other site's bundle, the bank) get the renewed
 * root in that time. Replacing the root key (compromise, or key-age policy) is deliberate,
 * in a maintenance window: delete the root's Secret (cert-manager makes a new key and root),
 * publish the new root to consumers, and re-issue every certificate (`cmctl renew --all -A`).
 * Leaf certificates get a new key at every renewal, and there is no revocation list:
 * short lifetimes (`validity`) bound how long a leaked leaf key is of use.
 */


/** Where the public host's certificate comes from (the environment's `traffic.publicCertificate`). */
export type PublicCertificateSource = { readonly issuer: 'internal-ca' } | { readonly issuer: 'external-ca'; readonly caSecretName: string };

/** The environment's certificate lifetimes (`traffic.certificates`). */
export interface CertificateLifetimes {
  /** Lifetime of each site's root CA. */
  readonly rootValidity: Duration;
  /** Lifetime of every certificate the issuers sign. */
  readonly validity: Duration;
  /** Renewal window of those certificates. */
  readonly renewBefore: Duration;
}

/** The chart's long-running workloads. */
export const CERT_MANAGER_WORKLOADS = ['controller', 'webhook', 'cainjector'] as const;
export type CertManagerWorkloadName = (typeof CERT_MANAGER_WORKLOADS)[number];

/** Two controllers and two webhooks (leader election picks one controller; the API server calls either webhook). */
export const DEFAULT_CERT_MANAGER_REPLICAS: Readonly<Record<CertManagerWorkloadName, number>> = { controller: 2, webhook: 2, cainjector: 1 };

/** Requests and limits of each workload's container. */
export const DEFAULT_CERT_MANAGER_RESOURCES: Readonly<Record<CertManagerWorkloadName, ContainerResources>> = {
  controller: { cpuRequest: '50m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' },
  webhook: { cpuRequest: '20m', memoryRequest: '64Mi', cpuLimit: '250m', memoryLimit: '128Mi' },
  cainjector: { cpuRequest: '20m', memoryRequest: '128Mi', cpuLimit: '250m', memoryLimit: '512Mi' },
};

/** The release's name: the chart names its objects and pod labels after it. */
export const CERT_MANAGER_RELEASE = 'cert-manager';
/** Port of every cert-manager pod's `/metrics`. */
export const CERT_MANAGER_METRICS_PORT = 9402;
/** The name the chart gives that port on every pod. */
export const CERT_MANAGER_METRICS_PORT_NAME = 'http-metrics';
/** Port the webhook serves the API server on (the chart's `webhook.securePort`). */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;

const IMAGES = { controller: 'certManagerController', webhook: 'certManagerWebhook', cainjector: 'certManagerCainjector' } as const;
const POD_NAMES: Readonly<Record<CertManagerWorkloadName, string>> = { controller: 'cert-manager', webhook: 'webhook', cainjector: 'cainjector' };

/** The subject of every site's root CA. */
export const ROOT_CA_SUBJECT = { organization: 'Limelight Moneylink Services', country: 'ZM' } as const;

export interface CertManagerProps {
  /** The site's cluster baseline: cert-manager runs in its `platform` namespace. */
  readonly cluster: SiteCluster;
  /** Environment name, e.g. `production`: names the issuers (`lms-production-ca`). */
  readonly environmentName: string;
  /** The site's in-country registry mirror: every image comes from it by digest. */
  readonly registry: string;
  /** The site's in-country chart repository, e.g. `https://charts.lusaka.lms.co.zm`. */
  readonly chartRepository: string;
  /**
   * The chart version to install: the environment's pin (`charts.certManager` in
   * `environments/pins/<env>.json`), one of `SUPPORTED_CHART_VERSIONS.certManager`.
   * @default - `VERSIONS.charts.certManager.version`
   */
  readonly chartVersion?: string;
  /** Lifetimes of the root and of the certificates it signs. */
  readonly certificates: CertificateLifetimes;
  /** Where the public host's certificate comes from. */
  readonly publicCertificate: PublicCertificateSource;
  /** DNS domains public names may be in (the approved in-country domains). */
  readonly approvedDomains: readonly string[];
  /** The API server: the webhook is called from it, and every workload talks to it. */
  readonly apiServer: ApiServerPeer;
  /** The Prometheus that scrapes `:9402/metrics` of every cert-manager pod. */
  readonly metrics: MetricsScraper;
  /**
   * Replicas per workload; more than one gets a PodDisruptionBudget and spreads over nodes.
   * @default DEFAULT_CERT_MANAGER_REPLICAS - controller 2, webhook 2, cainjector 1
   */
  readonly replicas?: Partial<Record<CertManagerWorkloadName, number>>;
  /**
   * Requests and limits per workload.
   * @default DEFAULT_CERT_MANAGER_RESOURCES
   */
  readonly resources?: Partial<Record<CertManagerWorkloadName, ContainerResources>>;
}

/** The site's root CA Certificate, for the metrics work and the runbooks. */
export interface RootCertificate {
  readonly name: string;
  readonly namespace: string;
  /** The Secret holding the root's key pair (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly secretName: string;
  readonly commonName: string;
  readonly duration: Duration;
  /** The root's renewal window: the environment's certificate `validity`. */
  readonly renewBefore: Duration;
  readonly metrics: CertificateMetrics;
}

/**
 * cert-manager on one site (controller, webhook, cainjector) in the `platform` namespace,
 * with the site's root CA and the issuers of the environment: see the notes above on the
 * chain, where the root key lives and how it is rotated.
 */
export class CertManager extends PlatformComponent {
  public readonly namespace: string;
  /** The namespace's Pod Security level: every cert-manager pod meets `restricted`, so any level admits it. */
  public readonly podSecurityLevel: string;
  public readonly replicas: Readonly<Record<CertManagerWorkloadName, number>>;
  public readonly resources: Readonly<Record<CertManagerWorkloadName, ContainerResources>>;
  /** Image references, by digest from the site's registry. */
  public readonly images: Readonly<Record<CertManagerWorkloadName | 'acmesolver', string>>;
  /** The labels the chart gives each workload's pods. */
  public readonly podLabels: Readonly<Record<CertManagerWorkloadName, Readonly<Record<string, string>>>>;
  /** The chart values, as the release renders them. */
  public readonly values: CertManagerValues;
  /** The issuers components request certificates from. */
  public readonly issuers: CertificateIssuers;
  public readonly root: RootCertificate;
  public override readonly helmReleases: readonly HelmReleaseSpec[];
  public override readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    const where = `CertManager ${this.node.path}`;
    this.namespace = props.cluster.namespaces.platform;
    this.podSecurityLevel = props.cluster.podSecurity.platform.level;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a DNS label, e.g. "production": it names the issuers');
    }
    if (typeof props.chartRepository !== 'string' || !/^https:\/\/[^/\s]+/.test(props.chartRepository)) {
      throw PlatformError.invalidProp(where, 'chartRepository', props.chartRepository, 'an https:// URL of the site\'s in-country chart repository');
    }
    checkLifetimes(where, props.certificates);
    checkApprovedDomains(where, props.approvedDomains);
    checkApiServer(where, props.apiServer);
    if (props.publicCertificate.issuer !== 'external-ca' && props.publicCertificate.issuer !== 'internal-ca') {
      throw PlatformError.invalidProp(where, 'publicCertificate.issuer', (props.publicCertificate as { issuer: unknown }).issuer, '"internal-ca", "external-ca"');
    }
    if (props.publicCertificate.issuer === 'external-ca' && !isDnsLabel(props.publicCertificate.caSecretName)) {
      throw PlatformError.invalidProp(where, 'publicCertificate.caSecretName', props.publicCertificate.caSecretName, `a DNS label: the name of the Secret the bank's PKI officers place in namespace "${this.namespace}"`);
    }
    this.replicas = resolveReplicas(where, props.replicas);
    this.resources = resolveResources(where, props.resources);

    const env = props.environmentName;
    const labelsOf = (workload: CertManagerWorkloadName) => ({ 'app.kubernetes.io/name': POD_NAMES[workload], 'app.kubernetes.io/instance': CERT_MANAGER_RELEASE, 'app.kubernetes.io/component': workload });
    const podLabels = { controller: labelsOf('controller'), webhook: labelsOf('webhook'), cainjector: labelsOf('cainjector') };
    this.podLabels = podLabels;
    const pinned = (workload: CertManagerWorkloadName): PinnedImage => pinnedImage(props.registry, IMAGES[workload]);
    const acmesolver = pinnedImage(props.registry, 'certManagerAcmeSolver');
    this.images = {
      controller: pinned('controller').reference,
      webhook: pinned('webhook').reference,
      cainjector: pinned('cainjector').reference,
      acmesolver: acmesolver.reference,
    };
    const workload = (name: CertManagerWorkloadName): CertManagerWorkload => ({ replicas: this.replicas[name], resources: this.resources[name], image: pinned(name), podLabels: podLabels[name] });
    const { 'app.kubernetes.io/managed-by': _managedBy, ...commonLabels } = props.cluster.labels;
    this.values = certManagerValues({
      namespace: this.namespace,
      priorityClassName: PRIORITY_CLASSES.platform.name,
      // The chart sets managed-by itself (Helm): a second one would be a duplicate key.
      commonLabels,
      controller: workload('controller'),
      webhook: workload('webhook'),
      cainjector: workload('cainjector'),
      acmesolver,
    });

    const { rootValidity, validity, renewBefore } = props.certificates;
    const lifetime = { validity, renewBefore };
    const rootName = `lms-${env}-root-ca`;
    this.root = {
      name: rootName,
      namespace: this.namespace,
      secretName: rootName,
      commonName: `LMS ${env} internal root CA (${props.cluster.siteName})`,
      duration: rootValidity,
      renewBefore: validity,
      metrics: certificateMetrics(rootName, this.namespace, validity),
    };
    const internalTrust: TrustAnchor = {
      description: `the ${env} internal root CA of site ${props.cluster.siteName}`,
      secret: { namespace: this.namespace, name: rootName, key: 'ca.crt' },
    };
    const internal: IssuerRef = { name: `lms-${env}-ca`, kind: 'ClusterIssuer', group: 'cert-manager.io', trustAnchor: internalTrust, lifetime };
    const publicIssuer: IssuerRef =
      props.publicCertificate.issuer === 'external-ca'
        ? {
            name: `lms-${env}-public`,
            kind: 'ClusterIssuer',
            group: 'cert-manager.io',
            trustAnchor: {
              description: `the bank's CA whose key pair the bank's PKI officers place in Secret ${this.namespace}/${props.publicCertificate.caSecretName}`,
              secret: { namespace: this.namespace, name: props.publicCertificate.caSecretName, key: 'ca.crt' },
            },
            lifetime,
          }
        : internal;
    this.issuers = { internal, public: publicIssuer, approvedDomains: [...props.approvedDomains] };

    const apiServer = { addressBlocks: [...props.apiServer.addressBlocks] };
    const scraper = { namespace: props.metrics.peer.namespace, podLabels: props.metrics.peer.podLabels };
    const podPolicies: CertManagerPodPolicy[] = CERT_MANAGER_WORKLOADS.map((name) => ({
      name: `cert-manager-${name}`,
      podLabels: podLabels[name],
      ingress: [
        ...(name === 'webhook' ? [{ peer: apiServer, port: CERT_MANAGER_WEBHOOK_PORT }] : []),
        { peer: scraper, port: CERT_MANAGER_METRICS_PORT },
      ],
      egress: [{ peer: apiServer, port: props.apiServer.port }],
    }));
    const chart = new CertManagerChart(new Cdk8sApp(), 'cert-manager', {
      namespace: this.namespace,
      labels: props.cluster.labels,
      podPolicies,
      podMonitor: { labels: props.metrics.serviceMonitorLabels, instance: CERT_MANAGER_RELEASE, components: [...CERT_MANAGER_WORKLOADS], portName: CERT_MANAGER_METRICS_PORT_NAME },
      bootstrapIssuerName: `lms-${env}-root-bootstrap`,
      root: {
        name: rootName,
        commonName: this.root.commonName,
        organization: ROOT_CA_SUBJECT.organization,
        country: ROOT_CA_SUBJECT.country,
        duration: certManagerDuration(rootValidity),
        renewBefore: certManagerDuration(validity),
      },
      internalIssuerName: internal.name,
      publicIssuer: props.publicCertificate.issuer === 'external-ca' ? { name: publicIssuer.name, caSecretName: props.publicCertificate.caSecretName } : undefined,
    });
    this.objects = chart.toJson() as KubeObject[];

    // The pods cannot reach the API server, nor the API server the webhook, until their
    // NetworkPolicies exist: the release (which waits for ready pods) comes after them.
    const policyKeys = this.objects.filter((object) => object.kind === 'NetworkPolicy').map(objectKey);
    this.helmReleases = [
      {
        name: CERT_MANAGER_RELEASE,
        namespace: this.namespace,
        chart: chartSource(props.chartRepository, 'certManager', props.chartVersion),
        values: this.values as unknown as Readonly<Record<string, unknown>>,
        after: policyKeys,
        policySuppressions: chartPolicySuppressions(this.namespace),
      },
    ];
  }
}

/**
 * Findings the chart's own Deployments have that no value of the chart can fix, with why an
 * auditor can accept each. The release's helm-template test applies them.
 */
function chartPolicySuppressions(namespace: string): PolicySuppression[] {
  return [
    {
      ruleId: 'LMS-K8S-009',
      object: `Deployment/${namespace}/${CERT_MANAGER_RELEASE}`,
      reason:
        'cert-manager chart v1.19.6 gives the controller a liveness probe (/livez) and no readiness probe, with no value to add one; the controller receives no traffic but Prometheus scrapes (only the leader-elected replica works), so readiness would gate nothing',
    },
    {
      ruleId: 'LMS-K8S-009',
      object: `Deployment/${namespace}/${CERT_MANAGER_RELEASE}-cainjector`,
      reason:
        'cert-manager chart v1.19.6 has no probe settings for the cainjector; it receives no traffic but Prometheus scrapes (a leader-elected loop writing CA bundles into webhook configurations), and it exits when it loses its lease or the API server, so the kubelet restarts it without a liveness probe',
    },
  ];
}

function checkLifetimes(where: string, certificates: CertificateLifetimes): void {
  checkLifetime(where, 'certificates', certificates);
  if (!certificates.rootValidity.isLongerThan(certificates.validity)) {
    throw new PlatformError(
      `${where}: certificates.rootValidity: ${formatValue(certificates.rootValidity.toString())} is not longer than validity ${formatValue(certificates.validity.toString())} (allowed: a root that outlives the certificates it signs; it renews \`validity\` before expiry)`,
    );
  }
}

function checkApprovedDomains(where: string, domains: readonly string[]): void {
  if (!Array.isArray(domains) || domains.length === 0) {
    throw PlatformError.invalidProp(where, 'approvedDomains', domains, 'one or more DNS domains, e.g. ["lms.co.zm"]');
  }
  domains.forEach((domain, index) => {
    if (typeof domain !== 'string' || !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(domain)) {
      throw PlatformError.invalidProp(where, `approvedDomains[${index}]`, domain, 'a DNS domain of two or more labels, e.g. "lms.co.zm"');
    }
  });
}

function checkApiServer(where: string, apiServer: ApiServerPeer): void {
  if (!Array.isArray(apiServer.addressBlocks) || apiServer.addressBlocks.length === 0) {
    throw PlatformError.invalidProp(where, 'apiServer.addressBlocks', apiServer.addressBlocks, 'one or more IPv4 CIDR blocks holding the API server\'s endpoints');
  }
  apiServer.addressBlocks.forEach((block, index) => {
    const valid = typeof block === 'string' && ipaddr.IPv4.isValidCIDR(block) && ipaddr.IPv4.parseCIDR(block)[0].toString() === ipaddr.IPv4.networkAddressFromCIDR(block).toString();
    if (!valid) {
      throw PlatformError.invalidProp(where, `apiServer.addressBlocks[${index}]`, block, 'an IPv4 CIDR block with its host bits zero, e.g. "10.10.0.0/16"');
    }
  });
  if (!Number.isInteger(apiServer.port) || apiServer.port < 1 || apiServer.port > 65535) {
    throw PlatformError.invalidProp(where, 'apiServer.port', apiServer.port, 'a TCP port, 1-65535');
  }
}

function checkKeys(where: string, prop: string, value: object | undefined): void {
  for (const key of Object.keys(value ?? {})) {
    if (!(CERT_MANAGER_WORKLOADS as readonly string[]).includes(key)) {
      throw PlatformError.invalidProp(where, prop, key, `workloads ${CERT_MANAGER_WORKLOADS.join(', ')}`);
    }
  }
}

function resolveReplicas(where: string, replicas: Partial<Record<CertManagerWorkloadName, number>> | undefined): Record<CertManagerWorkloadName, number> {
  checkKeys(where, 'replicas', replicas);
  const resolved = { ...DEFAULT_CERT_MANAGER_REPLICAS, ...replicas };
  for (const name of CERT_MANAGER_WORKLOADS) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1) {
      throw PlatformError.invalidProp(where, `replicas.${name}`, resolved[name], 'a whole number, 1 or more');
    }
  }
  return resolved;
}

function resolveResources(where: string, resources: Partial<Record<CertManagerWorkloadName, ContainerResources>> | undefined): Record<CertManagerWorkloadName, ContainerResources> {
  checkKeys(where, 'resources', resources);
  const resolved = { ...DEFAULT_CERT_MANAGER_RESOURCES, ...resources };
  for (const name of CERT_MANAGER_WORKLOADS) {
    checkRequestsWithinLimits(`${where}: resources.${name}`, resolved[name]);
  }
  return resolved;
}
