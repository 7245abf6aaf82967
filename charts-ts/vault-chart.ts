import type { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from './imports/servicemonitor-monitoring.coreos.com';
import { PodPoliciesChart, type PodPoliciesChartProps } from './pod-policies-chart';

export type { PodPeer as VaultPeer, PodConnection as VaultConnection, PodPolicy as VaultPodPolicy } from './pod-policies-chart';

/** The ServiceMonitor of the servers' `/v1/sys/metrics`. */
export interface VaultServerMonitor {
  /** Labels the site's Prometheus selects ServiceMonitors by. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the chart's headless Service over every server, sealed or not (`vault-internal`). */
  readonly serviceLabels: Readonly<Record<string, string>>;
  /** The name of that Service's API port (`https`). */
  readonly portName: string;
  /** The servers' certificate Secret, in Vault's namespace: its `ca.crt` verifies them. */
  readonly caSecretName: string;
  /** A DNS name of the servers' certificate, verified on every scrape. */
  readonly serverName: string;
}

export interface VaultChartProps extends PodPoliciesChartProps {
  readonly serverMonitor: VaultServerMonitor;
}

/**
 * What the platform adds around the Vault release: the generic pod policies (one per
 * workload: the servers and the agent injector) and the ServiceMonitor of the servers.
 */
export class VaultChart extends PodPoliciesChart {
  constructor(scope: Construct, id: string, props: VaultChartProps) {
    super(scope, id, props);
    const monitor = props.serverMonitor;
    // Every server, standbys and sealed ones included: the headless Service publishes
    // not-ready addresses, and with unauthenticated metrics each server answers for itself.
    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name: 'vault', namespace: props.namespace, labels: { ...monitor.labels } },
      spec: {
        selector: { matchLabels: { ...monitor.serviceLabels } },
        endpoints: [
          {
            port: monitor.portName,
            path: '/v1/sys/metrics',
            params: { format: ['prometheus'] },
            scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
            interval: '30s',
            tlsConfig: { serverName: monitor.serverName, ca: { secret: { name: monitor.caSecretName, key: 'ca.crt' } } },
          },
        ],
      },
    });
  }

  /** The chart's objects, as plain JSON. */
  public static override render(props: VaultChartProps, scope: Construct, id: string): Record<string, unknown>[] {
    return new VaultChart(scope, id, props).toJson() as Record<string, unknown>[];
  }
}
