import { Chart } from 'cdk8s';
import { KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';

/** One dashboard's ConfigMap: its name, and the JSON file it holds. */
export interface DashboardConfigMap {
  /** The ConfigMap's name, a DNS label. */
  readonly name: string;
  /** The file name the Grafana sidecar writes, e.g. `lms-vault.json`. */
  readonly fileName: string;
  /** The dashboard JSON, rendered once with sorted keys. */
  readonly json: string;
}

export interface GrafanaDashboardsChartProps {
  /** The site's observability namespace, where Grafana's dashboard sidecar looks. */
  readonly namespace: string;
  /** Labels on every ConfigMap, including the one the sidecar selects dashboards by. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations on every ConfigMap (the sidecar's folder annotation). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly dashboards: readonly DashboardConfigMap[];
}

/** Grafana dashboards as ConfigMaps the kube-prometheus-stack's Grafana sidecar loads: one dashboard each. */
export class GrafanaDashboardsChart extends Chart {
  constructor(scope: Construct, id: string, props: GrafanaDashboardsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true, labels: { ...props.labels } });
    for (const dashboard of props.dashboards) {
      new KubeConfigMap(this, dashboard.name, {
        metadata: { name: dashboard.name, annotations: { ...props.annotations } },
        data: { [dashboard.fileName]: dashboard.json },
      });
    }
  }
}
