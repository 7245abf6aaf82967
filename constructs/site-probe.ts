import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { SitePeerProbeChart } from '../charts-ts/site-probe-chart';
import { CROSS_SITE_PURPOSE_ANNOTATION, type CrossSiteEndpoint } from './cross-site-egress';
import { Duration } from './duration';
import { cidrBlock } from './ipv4';
import { PEER_SITE_CA_SECRET } from './minio-cluster';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError, formatValue } from './platform-error';
import type { MetricsScraper } from './service-references';
import type { SiteCluster } from './site-cluster';
import { isDnsLabel, requestCertificate, type CertificateIssuers, type TlsCertificate } from './tls-certificate';

/**
 * MinIO's cluster health check: 200 with an empty body while the cluster has write quorum,
 * 503 without it. Prometheus takes an empty body as a valid scrape of no samples (`up` 1):
 * its scrape loop returns before parsing when the body is empty, so the missing Content-Type
 * does not fail the scrape either.
 * @see https://github.com/minio/minio/blob/master/docs/metrics/healthcheck/README.md
 * @see https://github.com/prometheus/prometheus/blob/main/scrape/scrape.go (`append`: "Empty scrape")
 */
export const SITE_PROBE_PATH = '/minio/health/cluster';
/** The cross-site endpoint the probe scrapes: the other site's MinIO, which answers the health check. */
export const PROBED_ENDPOINT = 'object-storage';
/** The label naming the probed site on every sample of the probe, and on `SiteDown`. */
export const PEER_SITE_LABEL = 'peer_site';
/** The label naming the site whose Prometheus scrapes (and evaluates the alerts): `MonitoringRules` gives every alert the same. */
export const SITE_LABEL = 'site';
/** The Service's label the ServiceMonitor selects it by, valued with the probed site. */
export const SITE_PROBE_SERVICE_LABEL = 'lms.co.zm/peer-site-probe';
/** The certificate whose Secret's `ca.crt` verifies the other site when the public issuer is the bank's CA. */
export const SITE_PROBE_TRUST_NAME = 'peer-site-probe-trust';

/** What `SiteDown` needs of the probe: the series of its target's health and the failover command. */
export interface SiteProbeAlertInputs {
  /** The probed site, e.g. `kitwe`. */
  readonly peerSite: string;
  /** `up{job="peer-site-kitwe",peer_site="kitwe"}`: 1 while the other site answers with quorum. */
  readonly up: { readonly series: string };
  /** The scraped target, `10.20.240.8:9000`: the `instance` label of `up`. */
  readonly instance: string;
  /** `npm run dr -- --env production --promote lusaka`: the failover runbook that makes this site the primary. */
  readonly failoverCommand: string;
}

/** The other site's MinIO, as `MinioCluster` exposes it. */
export interface ProbedObjectStore {
  readonly siteName: string;
  /** `https://minio.<site domain>:9000`: the name and port its cross-site certificate is for. */
  readonly replicationUrl: string;
}

export interface SiteProbeProps {
  /** This site's cluster baseline: the observability namespace, labels and site name. */
  readonly cluster: SiteCluster;
  /** The environment (`production`): names the failover command in the alert. */
  readonly environmentName: string;
  /** This site's DNS domain: the name of the trust certificate when the bank's CA issues cross-site certificates. */
  readonly siteDnsDomain: string;
  /** This site's certificate issuers: the other site's cross-site certificate comes from the same `public` issuer. */
  readonly issuers: CertificateIssuers;
  /** This site's Prometheus: its pods may reach the other site, its ServiceMonitor labels select the probe. */
  readonly metrics: MetricsScraper;
  /** The other site's MinIO (`MinioCluster`): the probe verifies it by the name the replication dials. */
  readonly remoteStore: ProbedObjectStore;
  /** The other site's cross-site endpoints (its `network.crossSiteEndpoints`): the probe scrapes `object-storage`. */
  readonly remoteEndpoints: readonly CrossSiteEndpoint[];
  /**
   * How often the other site is probed.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
}

/**
 * This site's probe of the other site: its Prometheus scrapes the other site's MinIO health
 * check (`https://<address>:9000/minio/health/cluster`) through the cross-site endpoint the
 * replication uses, so `up` of the probe is 1 while the other site's object store answers with
 * write quorum and 0 when the site, its store or the link is gone. Every sample carries
 * `peer_site` (the probed site) and `site` (this one); `SiteDown` pages on it.
 *
 * The other site is verified the way bucket replication verifies it: by its replication name
 * (`minio.<other site's domain>`, sent as SNI so MinIO serves its cross-site certificate),
 * against the public issuer's CA when that is the bank's (both sites' cross-site certificates
 * come from it; a certificate of this site from the same issuer carries the CA as its
 * `ca.crt`), or else against the other site's root CA that operators place in the Secret
 * `object-store-peer-site-ca` of the observability namespace (as in the data namespace for
 * MinIO): each site's internal root is its own. Until that Secret exists the operator skips
 * the ServiceMonitor, so no `up` series is scraped and `SiteDown` fires.
 */
export class SiteProbe extends PlatformComponent {
  public readonly namespace: string;
  public readonly siteName: string;
  public readonly remoteSiteName: string;
  /** `peer-site-<remote>`: the Service, Endpoints and ServiceMonitor, and Prometheus' `job`. */
  public readonly name: string;
  /** `https://10.20.240.8:9000/minio/health/cluster`. */
  public readonly targetUrl: string;
  /** The name the other site's certificate is verified against. */
  public readonly serverName: string;
  /** The Secret (observability namespace) whose `ca.crt` verifies the other site, and where it comes from. */
  public readonly trust: { readonly secretName: string; readonly source: 'public-issuer' | 'peer-site-ca' };
  /** The certificate requested for its `ca.crt` when the public issuer is the bank's CA. */
  public readonly trustCertificate: TlsCertificate | undefined;
  public readonly interval: Duration;
  /** Labels on every sample of the probe. */
  public readonly targetLabels: Readonly<Record<string, string>>;
  public readonly alertInputs: SiteProbeAlertInputs;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: SiteProbeProps) {
    super(scope, id);
    const where = `SiteProbe ${this.node.path}`;
    this.namespace = props.cluster.namespaces.observability;
    this.siteName = props.cluster.siteName;
    const remote = props.remoteStore.siteName;
    if (!isDnsLabel(remote) || remote === this.siteName) {
      throw PlatformError.invalidProp(where, 'remoteStore.siteName', remote, `the environment's other site (a DNS label), not this site "${this.siteName}"`);
    }
    this.remoteSiteName = remote;
    if (!isDnsLabel(props.environmentName)) {
      throw PlatformError.invalidProp(where, 'environmentName', props.environmentName, 'a lower-case environment name, e.g. "production"');
    }
    if (props.metrics.peer.namespace !== this.namespace) {
      throw PlatformError.invalidProp(where, 'metrics.peer.namespace', props.metrics.peer.namespace, `the observability namespace "${this.namespace}", where the probe's objects are`);
    }
    const url = /^https:\/\/([a-z0-9.-]+):([0-9]{1,5})$/.exec(props.remoteStore.replicationUrl);
    if (url === null) {
      throw PlatformError.invalidProp(where, 'remoteStore.replicationUrl', props.remoteStore.replicationUrl, 'an https:// URL with a host and a port, e.g. "https://minio.prod.kitwe.lms.co.zm:9000"');
    }
    this.serverName = url[1];
    const port = Number(url[2]);
    const endpoint = props.remoteEndpoints.find((candidate) => candidate.name === PROBED_ENDPOINT);
    if (endpoint === undefined) {
      throw PlatformError.invalidProp(where, 'remoteEndpoints', props.remoteEndpoints.map((candidate) => candidate.name), `a cross-site endpoint named "${PROBED_ENDPOINT}" at ${remote} (its MinIO)`);
    }
    const block = cidrBlock(endpoint.address);
    if (!block || !endpoint.address.endsWith('/32')) {
      throw new PlatformError(`${where}: remoteEndpoints ${PROBED_ENDPOINT}: address: ${formatValue(endpoint.address)} is not allowed (allowed: one address as a /32 block, e.g. "10.20.240.8/32", which the probe's Endpoints name)`);
    }
    if (!endpoint.ports.includes(port)) {
      throw new PlatformError(`${where}: remoteEndpoints ${PROBED_ENDPOINT}: ports: ${formatValue(endpoint.ports)} is not allowed (allowed: ports that include ${port}, the port of ${props.remoteStore.replicationUrl})`);
    }
    this.interval = props.interval ?? Duration.seconds(30);
    if (!(this.interval instanceof Duration) || this.interval.totalSeconds < 10 || this.interval.totalSeconds > 60) {
      throw PlatformError.invalidProp(where, 'interval', props.interval instanceof Duration ? props.interval.toString() : props.interval, 'a Duration from "10s" to "1m", so a few failed probes fit in the alert\'s 5 minutes');
    }
    const address = endpoint.address.slice(0, -'/32'.length);
    this.name = `peer-site-${remote}`;
    this.targetUrl = `https://${address}:${port}${SITE_PROBE_PATH}`;
    this.targetLabels = { [PEER_SITE_LABEL]: remote, [SITE_LABEL]: this.siteName };

    const bankCa = props.issuers.public.name !== props.issuers.internal.name;
    const trustRequest = bankCa
      ? requestCertificate(this, props.issuers, {
          name: SITE_PROBE_TRUST_NAME,
          namespace: this.namespace,
          secretName: SITE_PROBE_TRUST_NAME,
          dnsNames: [`${SITE_PROBE_TRUST_NAME}.${props.siteDnsDomain}`],
          usages: ['client auth'],
          issuer: 'public',
        })
      : undefined;
    this.trustCertificate = trustRequest?.reference;
    this.trust = bankCa ? { secretName: SITE_PROBE_TRUST_NAME, source: 'public-issuer' } : { secretName: PEER_SITE_CA_SECRET, source: 'peer-site-ca' };

    this.alertInputs = {
      peerSite: remote,
      up: { series: `up{job=${JSON.stringify(this.name)},${PEER_SITE_LABEL}=${JSON.stringify(remote)}}` },
      instance: `${address}:${port}`,
      failoverCommand: `npm run dr -- --env ${props.environmentName} --promote ${this.siteName}`,
    };

    const chart = new SitePeerProbeChart(new Cdk8sApp(), 'site-probe', {
      namespace: this.namespace,
      labels: props.cluster.labels,
      name: this.name,
      serviceLabels: { [SITE_PROBE_SERVICE_LABEL]: remote },
      serviceMonitorLabels: props.metrics.serviceMonitorLabels,
      address,
      port,
      portName: 'https',
      path: SITE_PROBE_PATH,
      interval: this.interval.toString(),
      scrapeTimeout: '10s',
      serverName: this.serverName,
      ca: { secretName: this.trust.secretName, key: 'ca.crt' },
      targetLabels: this.targetLabels,
      scraperPodLabels: props.metrics.peer.podLabels,
      egressPolicyName: `cross-site-egress-${this.name}`,
      purposeAnnotation: CROSS_SITE_PURPOSE_ANNOTATION,
      purpose: `To ${remote}: ${PROBED_ENDPOINT} ${endpoint.address} TCP ${port}: Prometheus probes ${SITE_PROBE_PATH} (SiteDown pages when ${remote} stops answering)`,
    });
    this.objects = [...(trustRequest === undefined ? [] : [trustRequest.object]), ...(chart.toJson() as KubeObject[])];
  }
}
