import type { Environment, Site, SiteName } from '../../environments/schema';

/** What every layer module of a site is built from: the parsed environment and the site. */
export interface SiteInputs {
  readonly environment: Environment;
  readonly siteName: SiteName;
  readonly site: Site;
}
