import { z } from 'zod';
import { DIGEST_PATTERN, SUPPORTED_CHART_VERSIONS, VERSIONS, type ChartName } from '../../constructs/versions';
import { strict } from './common';

/**
 * What an environment runs, apart from its shape: the loan-service build, the chart versions
 * and the toolkit release. One JSON file per environment (`environments/pins/<env>.json`), so
 * dev can run a newer build than production from the same commit, and promotion copies
 * exactly one environment's pins to the next (`npm run promote`).
 */

/** A release of this toolkit: the git tag CI applies the environment from (`v1.4.0`, `v1.4.0-rc.2`). */
export const TOOLKIT_RELEASE_PATTERN = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
/** An OCI tag. */
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const chartVersion = (name: ChartName) =>
  z.string({ error: (issue) => `${JSON.stringify(issue.input) ?? 'nothing'} is not a chart version (allowed: ${SUPPORTED_CHART_VERSIONS[name].join(', ')})` }).refine(
    (version) => SUPPORTED_CHART_VERSIONS[name].includes(version),
    { error: (issue) => `${JSON.stringify(issue.input)} is not a supported ${VERSIONS.charts[name].name} chart version (allowed: ${SUPPORTED_CHART_VERSIONS[name].join(', ')}; constructs/versions.ts lists the versions the components are written for)` },
  );

export const PinsSchema = strict({
  /** The toolkit release (git tag) the environment is applied from. */
  toolkitRelease: z
    .string({ error: (issue) => `${JSON.stringify(issue.input) ?? 'nothing'} is not a toolkit release (allowed: a release tag such as "v0.1.0")` })
    .regex(TOOLKIT_RELEASE_PATTERN, { error: (issue) => `${JSON.stringify(issue.input)} is not a toolkit release (allowed: a release tag such as "v0.1.0" or "v0.2.0-rc.1")` }),
  /** The loan-service image the environment runs, as pushed to the in-country registry. */
  loanService: strict({
    tag: z
      .string({ error: (issue) => `${JSON.stringify(issue.input) ?? 'nothing'} is not an image tag (allowed: letters, digits, "_", "." and "-", at most 128)` })
      .regex(IMAGE_TAG_PATTERN, { error: (issue) => `${JSON.stringify(issue.input)} is not an image tag (allowed: letters, digits, "_", "." and "-", at most 128)` }),
    digest: z
      .string({ error: (issue) => `${JSON.stringify(issue.input) ?? 'nothing'} is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)` })
      .regex(DIGEST_PATTERN, { error: (issue) => `${JSON.stringify(issue.input)} is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)` }),
  }),
  /** Chart versions, by the names of `VERSIONS.charts`. */
  charts: strict({
    certManager: chartVersion('certManager'),
    traefik: chartVersion('traefik'),
    metallb: chartVersion('metallb'),
    vault: chartVersion('vault'),
    kubePrometheusStack: chartVersion('kubePrometheusStack'),
    eckOperator: chartVersion('eckOperator'),
  }),
});

/** An environment's pins, validated. */
export type Pins = z.output<typeof PinsSchema>;
