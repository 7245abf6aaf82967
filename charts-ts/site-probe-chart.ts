import { Chart } from 'cdk8s';
import { IntOrString, KubeEndpoints, KubeNetworkPolicy, KubeService } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsRelabelingsAction, ServiceMonitorSpecEndpointsScheme } from './imports/servicemonitor-monitoring.coreos.com';

export interface SitePeerProbeChartProps {
  /** The observability namespace: the Service, Endpoints, ServiceMonitor and policy go there. */
  readonly namespace: string;
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the Service, its Endpoints and the ServiceMonitor (`peer-site-kitwe`): Prometheus' `job` label. */
  readonly name: string;
  /** Labels of the Service only, which the ServiceMonitor selects it by. */
  readonly serviceLabels: Readonly<Record<string, string>>;
  /** Labels the site's Prometheus selects ServiceMonitors by. */
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
  /** The other site's endpoint: one IPv4 address and its TCP port. */
  readonly address: string;
  readonly port: number;
  /** Name of the Service's port. */
  readonly portName: string;
  /** HTTP path of the probe. */
  readonly path: string;
  /** Scrape interval and timeout, in Prometheus' notation (`30s`). */
  readonly interval: string;
  readonly scrapeTimeout: string;
  /** The name the other site's certificate is verified against (and sent as SNI). */
  readonly serverName: string;
  /** The Secret (in `namespace`) and key holding the CA to verify the other site with. */
  readonly ca: { readonly secretName: string; readonly key: string };
  /** Labels set on every sample of the probe (`peer_site`, `site`). */
  readonly targetLabels: Readonly<Record<string, string>>;
  /** The scraper's pods: the egress policy selects them. */
  readonly scraperPodLabels: Readonly<Record<string, string>>;
  readonly egressPolicyName: string;
  /** Annotation key and text saying what crosses, where to and why. */
  readonly purposeAnnotation: string;
  readonly purpose: string;
}

/**
 * A probe of the other site from this site's Prometheus: a selectorless Service and its
 * Endpoints naming the other site's cross-site endpoint, the ServiceMonitor that scrapes it
 * over verified TLS, and the egress NetworkPolicy that lets the scraper reach that address
 * and port only.
 */
export class SitePeerProbeChart extends Chart {
  constructor(scope: Construct, id: string, props: SitePeerProbeChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });

    // No selector: the Endpoints below are the Service's only backends, written by hand.
    new KubeService(this, 'service', {
      metadata: { name: props.name, labels: { ...props.serviceLabels } },
      spec: { type: 'ClusterIP', ports: [{ name: props.portName, protocol: 'TCP', port: props.port, targetPort: IntOrString.fromNumber(props.port) }] },
    });
    new KubeEndpoints(this, 'endpoints', {
      metadata: { name: props.name, labels: { ...props.serviceLabels } },
      subsets: [{ addresses: [{ ip: props.address }], ports: [{ name: props.portName, protocol: 'TCP', port: props.port }] }],
    });

    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: props.name, labels: { ...props.serviceMonitorLabels } },
      spec: {
        selector: { matchLabels: { ...props.serviceLabels } },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [
          {
            port: props.portName,
            scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
            path: props.path,
            interval: props.interval,
            scrapeTimeout: props.scrapeTimeout,
            tlsConfig: { serverName: props.serverName, ca: { secret: { name: props.ca.secretName, key: props.ca.key } } },
            relabelings: Object.keys(props.targetLabels)
              .sort()
              .map((label) => ({ action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE, targetLabel: label, replacement: props.targetLabels[label] })),
          },
        ],
      },
    });

    new KubeNetworkPolicy(this, 'egress', {
      metadata: { name: props.egressPolicyName, annotations: { [props.purposeAnnotation]: props.purpose } },
      spec: {
        podSelector: { matchLabels: { ...props.scraperPodLabels } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: `${props.address}/32` } }], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(props.port) }] }],
      },
    });
  }
}
