import { PlatformError } from './platform-error';

/** kube-prometheus-stack's default Prometheus datasource (`grafana.sidecar.datasources.uid`). */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

/** The refIds of a panel's targets, in order. */
export const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Grafana units a panel may show (Grafana's unit ids). */
export const DASHBOARD_UNITS = ['none', 'short', 'percent', 'percentunit', 's', 'ms', 'bytes', 'reqps', 'ops', 'dateTimeAsIso'] as const;
export type DashboardUnit = (typeof DASHBOARD_UNITS)[number];

/** Colours of threshold steps. */
export const THRESHOLD_COLORS = ['green', 'yellow', 'orange', 'red', 'blue'] as const;
export type ThresholdColor = (typeof THRESHOLD_COLORS)[number];

/** Columns of Grafana's grid. */
export const GRID_COLUMNS = 24;

export type PanelKind = 'timeseries' | 'stat' | 'table';

/** One PromQL query of a panel. */
export interface PanelTarget {
  /** The PromQL expression; may use `$__rate_interval` and the dashboard's variables. */
  readonly expr: string;
  /**
   * The series' name in the legend, with `{{label}}` templates.
   * @default - Grafana's default (the series' labels)
   */
  readonly legend?: string;
}

/** A threshold step: from `value` upwards the panel shows `color`. */
export interface ThresholdStep {
  readonly value: number;
  readonly color: ThresholdColor;
}

export interface PanelProps {
  /** Unique within the dashboard. */
  readonly title: string;
  /**
   * What the panel shows and what to do about it (Grafana's panel info tooltip).
   * @default - none
   */
  readonly description?: string;
  /** At least one query; each gets the next letter as its refId. */
  readonly targets: readonly PanelTarget[];
  /**
   * @default 'short'
   */
  readonly unit?: DashboardUnit;
  /**
   * Steps above the base colour, ascending by value.
   * @default - none: the base colour only
   */
  readonly thresholds?: readonly ThresholdStep[];
  /**
   * The colour below the first step.
   * @default 'green'
   */
  readonly baseColor?: ThresholdColor;
  /**
   * Grid columns (of 24).
   * @default 12 for time series, 6 for stat, 24 for tables
   */
  readonly width?: number;
  /**
   * Grid rows.
   * @default 8 for time series and tables, 4 for stat
   */
  readonly height?: number;
}

/** A panel: a kind and its validated props (built with the static factories). */
export class Panel {
  /** A graph over time; the legend is a table under it. */
  public static timeseries(props: PanelProps): Panel {
    return new Panel('timeseries', props, 12, 8);
  }

  /** One big number per series: the last value, coloured by the thresholds. */
  public static stat(props: PanelProps): Panel {
    return new Panel('stat', props, 6, 4);
  }

  /** The queries' current values as rows (instant queries), one column per label. */
  public static table(props: PanelProps): Panel {
    return new Panel('table', props, 24, 8);
  }

  public readonly title: string;
  public readonly description: string | undefined;
  public readonly targets: readonly PanelTarget[];
  public readonly unit: DashboardUnit;
  public readonly thresholds: readonly ThresholdStep[];
  public readonly baseColor: ThresholdColor;
  public readonly width: number;
  public readonly height: number;

  private constructor(
    public readonly kind: PanelKind,
    props: PanelProps,
    defaultWidth: number,
    defaultHeight: number,
  ) {
    if (typeof props.title !== 'string' || props.title.trim() === '' || props.title.includes('\n')) {
      throw PlatformError.invalidProp(`Panel (${kind})`, 'title', props.title, 'one non-empty line');
    }
    const where = `Panel ${JSON.stringify(props.title)}`;
    if (!Array.isArray(props.targets) || props.targets.length === 0 || props.targets.length > 26) {
      throw PlatformError.invalidProp(where, 'targets', props.targets, 'one to 26 PromQL targets');
    }
    props.targets.forEach((target, index) => {
      if (typeof target.expr !== 'string' || target.expr.trim() === '') {
        throw PlatformError.invalidProp(where, `targets[${index}].expr`, target.expr, 'a non-empty PromQL expression');
      }
    });
    const unit = props.unit ?? 'short';
    if (!(DASHBOARD_UNITS as readonly string[]).includes(unit)) {
      throw PlatformError.invalidProp(where, 'unit', unit, DASHBOARD_UNITS.map((allowed) => `"${allowed}"`).join(', '));
    }
    const colors = THRESHOLD_COLORS.map((allowed) => `"${allowed}"`).join(', ');
    const baseColor = props.baseColor ?? 'green';
    if (!(THRESHOLD_COLORS as readonly string[]).includes(baseColor)) throw PlatformError.invalidProp(where, 'baseColor', baseColor, colors);
    const thresholds = props.thresholds ?? [];
    thresholds.forEach((step, index) => {
      if (typeof step.value !== 'number' || !Number.isFinite(step.value) || (index > 0 && step.value <= thresholds[index - 1].value)) {
        throw PlatformError.invalidProp(where, `thresholds[${index}].value`, step.value, 'a finite number above the previous step\'s');
      }
      if (!(THRESHOLD_COLORS as readonly string[]).includes(step.color)) throw PlatformError.invalidProp(where, `thresholds[${index}].color`, step.color, colors);
    });
    const width = props.width ?? defaultWidth;
    if (!Number.isInteger(width) || width < 1 || width > GRID_COLUMNS) {
      throw PlatformError.invalidProp(where, 'width', width, `a whole number of grid columns from 1 to ${GRID_COLUMNS}`);
    }
    const height = props.height ?? defaultHeight;
    if (!Number.isInteger(height) || height < 2 || height > 40) {
      throw PlatformError.invalidProp(where, 'height', height, 'a whole number of grid rows from 2 to 40');
    }
    this.title = props.title;
    this.description = props.description;
    this.targets = props.targets.map((target) => ({ ...target }));
    this.unit = unit;
    this.thresholds = thresholds.map((step) => ({ ...step }));
    this.baseColor = baseColor;
    this.width = width;
    this.height = height;
  }
}

/** Grafana's JSON model of `panel` with its id and place in the grid. */
export function panelJson(panel: Panel, id: number, gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number }): Record<string, unknown> {
  const table = panel.kind === 'table';
  const defaults: Record<string, unknown> = {
    color: { mode: panel.kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
    thresholds: { mode: 'absolute', steps: [{ color: panel.baseColor, value: null }, ...panel.thresholds.map((step) => ({ color: step.color, value: step.value }))] },
    unit: panel.unit,
  };
  if (panel.kind === 'timeseries') {
    defaults.custom = { drawStyle: 'line', fillOpacity: 10, lineWidth: 1, showPoints: 'never', spanNulls: false, thresholdsStyle: { mode: panel.thresholds.length > 0 ? 'dashed' : 'off' } };
  }
  const options =
    panel.kind === 'timeseries'
      ? { legend: { calcs: ['lastNotNull', 'max'], displayMode: 'table', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } }
      : panel.kind === 'stat'
        ? { colorMode: 'background', graphMode: 'none', justifyMode: 'auto', orientation: 'auto', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, showPercentChange: false, textMode: 'auto', wideLayout: true }
        : { cellHeight: 'sm', footer: { countRows: false, fields: '', reducer: ['sum'], show: false }, showHeader: true };
  return {
    datasource: { ...PROMETHEUS_DATASOURCE },
    ...(panel.description === undefined ? {} : { description: panel.description }),
    fieldConfig: { defaults, overrides: [] },
    gridPos,
    id,
    options,
    targets: panel.targets.map((target, index) => ({
      datasource: { ...PROMETHEUS_DATASOURCE },
      editorMode: 'code',
      expr: target.expr,
      ...(table ? { format: 'table', instant: true, range: false } : { instant: false, range: true }),
      ...(target.legend === undefined ? {} : { legendFormat: target.legend }),
      refId: REF_IDS[index],
    })),
    title: panel.title,
    ...(table ? { transformations: [{ id: 'merge', options: {} }] } : {}),
    type: panel.kind,
  };
}
