import type { IConstruct } from 'constructs';
import { EnvironmentError } from '../environments/load';
import { SITE_NAMES, type Environment } from '../environments/schema';

/**
 * The first apply of a site cannot keep its Terraform state in the site's MinIO: the
 * platform's own `data` layer creates that MinIO and its state bucket. A bootstrap synth
 * (`LMS_STATE_BOOTSTRAP=<environment>-<site>`) gives every stack of the named sites a local
 * backend under this project-relative folder instead; `npm run state:migrate` later moves
 * each state into the site's bucket (stacks/migrate-state.ts).
 */
export const BOOTSTRAP_STATE_DIRECTORY = '.terraform-state/bootstrap';

/** The synth setting naming the sites synthesized with bootstrap state. */
export const STATE_BOOTSTRAP_SETTING = 'LMS_STATE_BOOTSTRAP';

/** App context key holding the `<environment>-<site>` names of the bootstrap sites. */
export const STATE_BOOTSTRAP_CONTEXT = 'lms:stateBootstrapSites';

/** `production-lusaka`: how settings, commands and messages name one site of one environment. */
export function siteKey(environmentName: string, siteName: string): string {
  return `${environmentName}-${siteName}`;
}

/** The sites of `environments` whose state lives in an S3 store (the ones a bootstrap applies to), sorted. */
export function s3StateSites(environments: readonly Environment[]): string[] {
  return environments
    .flatMap((environment) => SITE_NAMES.filter((siteName) => environment.sites[siteName].state.kind === 's3').map((siteName) => siteKey(environment.name, siteName)))
    .sort();
}

/**
 * Checks one `<environment>-<site>` named by `where` (a setting or a command argument):
 * undefined when it is a site of `environments` with S3 state, else the problem, one line.
 */
export function stateSiteProblem(where: string, name: string, environments: readonly Environment[], purpose: string): string | undefined {
  const allowed = s3StateSites(environments);
  if (allowed.includes(name)) return undefined;
  const allowedText = allowed.join(', ') || 'none in the selected environments';
  for (const environment of environments) {
    for (const siteName of SITE_NAMES) {
      if (siteKey(environment.name, siteName) !== name) continue;
      const state = environment.sites[siteName].state;
      return `${where}: ${JSON.stringify(name)} keeps its state locally already (environment ${environment.name}: sites.${siteName}.state.kind is ${JSON.stringify(state.kind)}), so it has no ${purpose} (allowed: ${allowedText})`;
    }
  }
  return `${where}: ${JSON.stringify(name)} is not a site of the selected environments (allowed: ${allowedText})`;
}

/**
 * The sites `LMS_STATE_BOOTSTRAP` names (comma-separated `<environment>-<site>`), sorted; none
 * when unset.
 *
 * @throws EnvironmentError naming every bad value and the allowed ones
 */
export function stateBootstrapSites(value: string | undefined, environments: readonly Environment[]): string[] {
  if (value === undefined) return [];
  const names = [...new Set(value.split(',').map((name) => name.trim()).filter(Boolean))];
  const problems =
    names.length === 0
      ? [`${STATE_BOOTSTRAP_SETTING}: ${JSON.stringify(value)} names no site (allowed: comma-separated <environment>-<site> from ${s3StateSites(environments).join(', ') || 'none in the selected environments'}, or unset for none)`]
      : names.flatMap((name) => stateSiteProblem(STATE_BOOTSTRAP_SETTING, name, environments, 'S3 state to bootstrap') ?? []);
  if (problems.length > 0) throw new EnvironmentError(problems);
  return names.sort();
}

/** Whether the app `scope` belongs to synthesizes `site` (`<environment>-<site>`) with bootstrap state. */
export function isStateBootstrapSite(scope: IConstruct, site: string): boolean {
  const sites: unknown = scope.node.tryGetContext(STATE_BOOTSTRAP_CONTEXT);
  return Array.isArray(sites) && sites.includes(site);
}

/** The synth summary line for a bootstrap synth: which sites, where their state is, what comes next. */
export function stateBootstrapSummary(sites: readonly string[]): string {
  if (sites.length === 0) return '';
  const migrations = sites.map((site) => `\`npm run state:migrate -- ${site}\``).join(', ');
  return `state: ${sites.join(', ')} synthesized with bootstrap (local) state in ${BOOTSTRAP_STATE_DIRECTORY}/, which must be migrated to the site's state bucket once its data layer is up: \`npm run synth\` without ${STATE_BOOTSTRAP_SETTING}, then ${migrations}\n`;
}
