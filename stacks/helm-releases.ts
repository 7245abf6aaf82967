import { Release } from '@cdktf/provider-helm/lib/release';
import type { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import { isLocalChart, type HelmReleaseSpec } from '../constructs/platform-component';
import { PlatformError, formatValue } from '../constructs/platform-error';
import { LocalChart } from './local-chart';
import { terraformLiteral } from './terraform-literal';

export interface HelmReleasesProps {
  /** The helm provider of the site the releases are installed in. */
  readonly provider: HelmProvider;
  readonly releases: readonly HelmReleaseSpec[];
}

/** How many old revisions Helm keeps per release: enough to roll back, not an ever-growing history. */
export const MAX_HISTORY = 5;

/** Default time an apply waits for a release's workloads. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/**
 * The bridge from components' Helm releases to Terraform: one `helm_release` per release, its
 * values rendered once as YAML with sorted keys (the plan shows them as an auditor reads
 * them, byte-identical across runs). Every release skips the chart's CRDs (the base layer
 * applies the vendored ones), waits for its workloads, and rolls back a failed upgrade.
 */
export class HelmReleases extends Construct {
  /** The Terraform resources, keyed by `namespace/name`. */
  public readonly resources: ReadonlyMap<string, Release>;

  constructor(scope: Construct, id: string, props: HelmReleasesProps) {
    super(scope, id);
    const resources = new Map<string, Release>();
    for (const release of props.releases) {
      const key = `${release.namespace}/${release.name}`;
      if (resources.has(key)) {
        throw new PlatformError(`${this.node.path}: helmReleases: ${formatValue(key)} is installed twice (allowed: each namespace/name once)`);
      }
      const id = `${release.namespace}-${release.name}`;
      // A local chart travels in the stack's folder; a repository chart is pinned by version.
      const chart = isLocalChart(release.chart)
        ? { chart: new LocalChart(this, `${id}-chart`, release.chart).chartPath }
        : { repository: release.chart.repository, chart: release.chart.name, version: release.chart.version };
      resources.set(
        key,
        new Release(this, id, {
          provider: props.provider,
          name: release.name,
          namespace: release.namespace,
          ...chart,
          ...(release.takeOwnership ? { takeOwnership: true } : {}),
          values: [terraformLiteral(renderValues(release.values))],
          skipCrds: true,
          createNamespace: false,
          wait: true,
          atomic: true,
          cleanupOnFail: true,
          timeout: release.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
          maxHistory: MAX_HISTORY,
        }),
      );
    }
    this.resources = resources;
  }
}

/** Chart values as YAML: sorted keys, no anchors, no folding, so the text is stable. */
export function renderValues(values: Readonly<Record<string, unknown>>): string {
  return dump(values, { sortKeys: true, noRefs: true, lineWidth: -1, quotingType: '"' });
}
