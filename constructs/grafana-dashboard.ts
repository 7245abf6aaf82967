import { GRID_COLUMNS, Panel, PROMETHEUS_DATASOURCE, REF_IDS, panelJson } from './grafana-panel';
import { PlatformError, formatValue } from './platform-error';

/**
 * Grafana dashboards as typed values: a dashboard is rows of panels (time series, stat,
 * table) whose targets are PromQL queries against the site's Prometheus; the layout is
 * computed (panels flow left to right in a 24-column grid, rows stack), so authors never
 * place a panel by hand. `toJson()` gives Grafana's dashboard JSON model.
 *
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */

/**
 * The dashboard schema version written: the newest one Grafana 12.0 writes, which the chart's
 * own newest bundled dashboard carries; later Grafana versions migrate it forward on load.
 */
export const GRAFANA_SCHEMA_VERSION = 41;

/** How often a dashboard reloads its queries. */
export const DASHBOARD_REFRESH = ['30s', '1m', '5m', '15m'] as const;
export type DashboardRefresh = (typeof DASHBOARD_REFRESH)[number];

/** What template variables and Grafana's own variables stand for when a query is checked outside Grafana. */
export const CHECKED_VARIABLE_VALUES: Readonly<Record<string, string>> = { __rate_interval: '5m', __interval: '1m', __range: '1d' };

/** A titled row of panels. */
export interface DashboardRow {
  readonly title: string;
  readonly panels: readonly Panel[];
}

/** A template variable whose values are a label's values on a series (Grafana's `label_values`). */
export interface LabelValuesVariable {
  /** Used as `$name` in queries. */
  readonly name: string;
  /** Shown above the drop-down. */
  readonly label: string;
  /** The series whose label is listed, e.g. `http_requests_total{job="loan-service"}`. */
  readonly series: string;
  /** The label listed, e.g. `route`. */
  readonly labelName: string;
}

export interface DashboardProps {
  /** Stable id in URLs and links: lower-case letters, digits and `-`, at most 40 characters. */
  readonly uid: string;
  readonly title: string;
  /**
   * Lower-case words to search by.
   * @default - none
   */
  readonly tags?: readonly string[];
  /**
   * @default '1m'
   */
  readonly refresh?: DashboardRefresh;
  /**
   * The time range shown on opening, in Grafana's relative notation.
   * @default { from: 'now-6h', to: 'now' }
   */
  readonly timeRange?: { readonly from: string; readonly to: string };
  /**
   * Drop-downs that filter the queries (multi-select, with "All" as `.*`).
   * @default - none
   */
  readonly variables?: readonly LabelValuesVariable[];
  /** At least one row. */
  readonly rows: readonly DashboardRow[];
}

/** A panel query as a checker sees it: where it is, and its expression with every variable replaced. */
export interface CheckedQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

const UID = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const TAG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RELATIVE_TIME = /^now(-[1-9][0-9]*[mhdwMy])?$/;
const VARIABLE_NAME = /^[a-z][a-z_]*$/;
const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/;

/** A dashboard, validated, with its panels laid out. */
export class Dashboard {
  /**
   * @throws PlatformError naming the dashboard, the field, the bad value and what is allowed
   */
  public static define(props: DashboardProps): Dashboard {
    if (typeof props.uid !== 'string' || !UID.test(props.uid)) {
      throw PlatformError.invalidProp('Dashboard', 'uid', props.uid, 'lower-case letters, digits and "-", at most 40 characters, starting and ending with a letter or digit, e.g. "lms-platform-overview"');
    }
    const where = `Dashboard ${props.uid}`;
    if (typeof props.title !== 'string' || props.title.trim() === '' || props.title.includes('\n')) {
      throw PlatformError.invalidProp(where, 'title', props.title, 'one non-empty line');
    }
    for (const tag of props.tags ?? []) {
      if (typeof tag !== 'string' || !TAG.test(tag)) throw PlatformError.invalidProp(where, 'tags', tag, 'lower-case words joined by "-", e.g. "sql-server"');
    }
    const refresh = props.refresh ?? '1m';
    if (!(DASHBOARD_REFRESH as readonly string[]).includes(refresh)) {
      throw PlatformError.invalidProp(where, 'refresh', refresh, DASHBOARD_REFRESH.map((allowed) => `"${allowed}"`).join(', '));
    }
    const timeRange = props.timeRange ?? { from: 'now-6h', to: 'now' };
    for (const end of ['from', 'to'] as const) {
      if (typeof timeRange[end] !== 'string' || !RELATIVE_TIME.test(timeRange[end])) {
        throw PlatformError.invalidProp(where, `timeRange.${end}`, timeRange[end], '"now" or "now-<n><m|h|d|w|M|y>", e.g. "now-6h"');
      }
    }
    const variables = props.variables ?? [];
    const variableNames = new Set<string>();
    for (const variable of variables) {
      if (typeof variable.name !== 'string' || !VARIABLE_NAME.test(variable.name) || variableNames.has(variable.name)) {
        throw PlatformError.invalidProp(where, 'variables', variable.name, 'distinct names of lower-case letters and "_", e.g. "route"');
      }
      variableNames.add(variable.name);
      if (typeof variable.series !== 'string' || !SELECTOR.test(variable.series)) {
        throw PlatformError.invalidProp(where, `variables.${variable.name}.series`, variable.series, 'a metric name with optional {label="value",...}');
      }
    }
    if (!Array.isArray(props.rows) || props.rows.length === 0) {
      throw PlatformError.invalidProp(where, 'rows', props.rows, 'at least one row of panels');
    }
    const titles = new Set<string>();
    for (const row of props.rows) {
      if (typeof row.title !== 'string' || row.title.trim() === '' || titles.has(row.title)) {
        throw PlatformError.invalidProp(where, 'rows', row.title, 'row titles that are non-empty and distinct from every row and panel title');
      }
      titles.add(row.title);
      if (!Array.isArray(row.panels) || row.panels.length === 0) {
        throw PlatformError.invalidProp(where, `rows ${JSON.stringify(row.title)}: panels`, row.panels, 'at least one Panel');
      }
      for (const panel of row.panels) {
        if (!(panel instanceof Panel)) {
          throw PlatformError.invalidProp(where, `rows ${JSON.stringify(row.title)}: panels`, panel, 'Panel.timeseries(...), Panel.stat(...) or Panel.table(...)');
        }
        if (titles.has(panel.title)) {
          throw PlatformError.invalidProp(where, `rows ${JSON.stringify(row.title)}: panel title`, panel.title, 'a title used by no other panel or row of the dashboard');
        }
        titles.add(panel.title);
        for (const target of panel.targets) {
          const unknown = [...target.expr.matchAll(/\$(\w+)/g)].map((match) => match[1]).find((name) => !variableNames.has(name) && !(name in CHECKED_VARIABLE_VALUES));
          if (unknown !== undefined) {
            throw PlatformError.invalidProp(where, `panel ${JSON.stringify(panel.title)}: expr`, target.expr, `variables the dashboard defines (${[...variableNames, ...Object.keys(CHECKED_VARIABLE_VALUES)].map((name) => `$${name}`).join(', ')}); "$${unknown}" is not one`);
          }
        }
      }
    }
    return new Dashboard(props.uid, props.title, [...(props.tags ?? [])], refresh, { ...timeRange }, variables.map((variable) => ({ ...variable })), props.rows);
  }

  private constructor(
    public readonly uid: string,
    public readonly title: string,
    public readonly tags: readonly string[],
    public readonly refresh: DashboardRefresh,
    public readonly timeRange: { readonly from: string; readonly to: string },
    public readonly variables: readonly LabelValuesVariable[],
    public readonly rows: readonly DashboardRow[],
  ) {}

  /** Every panel, in order. */
  public get panels(): readonly Panel[] {
    return this.rows.flatMap((row) => row.panels);
  }

  /**
   * Every query of every panel, with `$__rate_interval`, `$__interval`, `$__range` and the
   * dashboard's variables replaced (variables by `.*`, their "All"), as Prometheus would run it.
   */
  public checkedQueries(): readonly CheckedQuery[] {
    const values: Record<string, string> = { ...CHECKED_VARIABLE_VALUES, ...Object.fromEntries(this.variables.map((variable) => [variable.name, '.*'])) };
    return this.panels.flatMap((panel) =>
      panel.targets.map((target, index) => ({ panel: panel.title, refId: REF_IDS[index], expr: target.expr.replace(/\$(\w+)/g, (_match, name: string) => values[name]) })),
    );
  }

  /** Grafana's dashboard JSON model. */
  public toJson(): Record<string, unknown> {
    let nextId = 1;
    let y = 0;
    const panels: Record<string, unknown>[] = [];
    for (const row of this.rows) {
      panels.push({ collapsed: false, gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y }, id: nextId++, panels: [], title: row.title, type: 'row' });
      y += 1;
      let x = 0;
      let lineHeight = 0;
      for (const panel of row.panels) {
        if (x + panel.width > GRID_COLUMNS) {
          y += lineHeight;
          x = 0;
          lineHeight = 0;
        }
        panels.push(panelJson(panel, nextId++, { h: panel.height, w: panel.width, x, y }));
        x += panel.width;
        lineHeight = Math.max(lineHeight, panel.height);
      }
      y += lineHeight;
    }
    return {
      annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
      editable: false,
      fiscalYearStartMonth: 0,
      graphTooltip: 1,
      links: [],
      panels,
      refresh: this.refresh,
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      tags: [...this.tags],
      templating: { list: this.variables.map(variableJson) },
      time: { ...this.timeRange },
      timepicker: {},
      timezone: 'browser',
      title: this.title,
      uid: this.uid,
      version: 1,
    };
  }
}

function variableJson(variable: LabelValuesVariable): Record<string, unknown> {
  const query = `label_values(${variable.series}, ${variable.labelName})`;
  return {
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    datasource: { ...PROMETHEUS_DATASOURCE },
    definition: query,
    includeAll: true,
    label: variable.label,
    multi: true,
    name: variable.name,
    options: [],
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    regex: '',
    sort: 1,
    type: 'query',
  };
}

/** JSON with every object's keys sorted, two-space indented, ending in a newline: the same bytes for the same dashboard. */
export function stableJson(value: unknown): string {
  const sort = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sort);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sort((item as Record<string, unknown>)[key])]),
      );
    }
    return item;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

/** PromQL words that look like metric names but are not. */
const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'start', 'end', 'atan2']);

/**
 * The metric names a PromQL expression reads: identifiers outside strings, label matchers,
 * range brackets and grouping lists that are not functions or keywords.
 * @throws PlatformError when the expression's braces or strings do not balance
 */
export function metricNames(expr: string): readonly string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^[\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' ');
  if (/[{}"'`]/.test(bare.replace(/""/g, ''))) {
    throw PlatformError.invalidProp('metricNames', 'expr', expr, `PromQL with balanced braces and quotes (left over: ${formatValue(bare)})`);
  }
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(\s*\()?/g)) {
    if (match[2] === undefined && !PROMQL_KEYWORDS.has(match[1].toLowerCase())) names.add(match[1]);
  }
  return [...names].sort();
}
