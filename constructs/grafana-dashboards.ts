import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { GrafanaDashboardsChart } from '../charts-ts/grafana-dashboards-chart';
import { Dashboard, stableJson } from './grafana-dashboard';
import type { MonitoringRulesSite } from './monitoring-rules';
import { PlatformComponent, type KubeObject } from './platform-component';
import { PlatformError } from './platform-error';

/**
 * The label the kube-prometheus-stack's Grafana sidecar loads dashboards by
 * (`grafana.sidecar.dashboards.label` and `labelValue` of chart 88.5.3).
 */
export const DASHBOARD_SELECTOR_LABELS: Readonly<Record<string, string>> = { grafana_dashboard: '1' };

/**
 * The annotation naming the Grafana folder a dashboard goes to. The sidecar reads it only when
 * the chart sets `grafana.sidecar.dashboards.folderAnnotation: grafana_folder` (with
 * `provider.foldersFromFilesStructure: true`); its default is none.
 */
export const DASHBOARD_FOLDER_ANNOTATION = 'grafana_folder';

/** The Grafana folder of the platform's dashboards. */
export const DASHBOARD_FOLDER = 'LMS';

/** A ConfigMap holds at most 1 MiB. */
const CONFIG_MAP_LIMIT_BYTES = 1024 * 1024;

export interface GrafanaDashboardsProps {
  /** The site (`SiteCluster`): the ConfigMaps go to its observability namespace, with its labels. */
  readonly cluster: MonitoringRulesSite;
  /** At least one dashboard; uids are distinct. */
  readonly dashboards: readonly Dashboard[];
  /**
   * The Grafana folder they go to.
   * @default 'LMS'
   */
  readonly folder?: string;
}

/**
 * A site's Grafana dashboards as ConfigMaps in its observability namespace, one per dashboard
 * (`grafana-dashboard-<uid>`, holding `<uid>.json`), labelled `grafana_dashboard: "1"` for the
 * Grafana sidecar and annotated with their folder. The JSON has sorted keys, so the same
 * dashboards give the same bytes.
 */
export class GrafanaDashboards extends PlatformComponent {
  public readonly namespace: string;
  public readonly folder: string;
  public readonly dashboards: readonly Dashboard[];
  /** Each dashboard's JSON as rendered, by uid. */
  public readonly json: ReadonlyMap<string, string>;
  public readonly objects: readonly KubeObject[];

  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    const where = `GrafanaDashboards ${this.node.path}`;
    this.namespace = props.cluster.namespaces.observability;
    this.folder = props.folder ?? DASHBOARD_FOLDER;
    if (typeof this.folder !== 'string' || this.folder.trim() === '' || this.folder.includes('/')) {
      throw PlatformError.invalidProp(where, 'folder', this.folder, 'a non-empty folder name without "/", e.g. "LMS"');
    }
    if (!Array.isArray(props.dashboards) || props.dashboards.length === 0) {
      throw PlatformError.invalidProp(where, 'dashboards', props.dashboards, 'at least one Dashboard.define(...)');
    }
    const json = new Map<string, string>();
    for (const dashboard of props.dashboards) {
      if (!(dashboard instanceof Dashboard)) throw PlatformError.invalidProp(where, 'dashboards', dashboard, 'Dashboard.define(...) values');
      if (json.has(dashboard.uid)) throw PlatformError.invalidProp(where, 'dashboards: uid', dashboard.uid, 'a uid no other dashboard of the site has');
      const text = stableJson(dashboard.toJson());
      if (Buffer.byteLength(text) > CONFIG_MAP_LIMIT_BYTES) {
        throw PlatformError.invalidProp(where, `dashboards ${dashboard.uid}`, `${Buffer.byteLength(text)} bytes of JSON`, 'at most 1 MiB, what a ConfigMap holds: split the dashboard');
      }
      json.set(dashboard.uid, text);
    }
    this.dashboards = [...props.dashboards];
    this.json = json;
    const chart = new GrafanaDashboardsChart(new Cdk8sApp(), 'grafana-dashboards', {
      namespace: this.namespace,
      labels: { ...props.cluster.labels, ...DASHBOARD_SELECTOR_LABELS },
      annotations: { [DASHBOARD_FOLDER_ANNOTATION]: this.folder },
      dashboards: this.dashboards.map((dashboard) => ({ name: `grafana-dashboard-${dashboard.uid}`, fileName: `${dashboard.uid}.json`, json: json.get(dashboard.uid)! })),
    });
    this.objects = chart.toJson() as KubeObject[];
  }
}
