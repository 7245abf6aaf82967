import * as path from 'path';
import { PROJECT_ROOT, runAsyncEntry, selectedEnvironments } from './entry';
import { siteKey } from './state-bootstrap';
import { migrateSiteState, migrationSite, siteStackNames } from './state-migration';

/**
 * Entry point of `npm run state:migrate -- <environment>-<site>`: moves the site's bootstrap
 * Terraform state (`.terraform-state/bootstrap/<stack>.tfstate`, written by deploys of a
 * synth with LMS_STATE_BOOTSTRAP) into the site's S3 state bucket, once the site's MinIO is up
 * and cdktf.out/ is a normal synth again (./state-migration.ts). Settings: the site's MinIO
 * credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (never printed), AWS_CA_BUNDLE
 * where its certificate needs it, LMS_TERRAFORM (default: `terraform` on PATH), CDKTF_OUTDIR
 * (default `cdktf.out`), environment selection as in ./entry.ts.
 */
void runAsyncEntry('state:migrate', async () => {
  const { environmentName, siteName } = migrationSite(process.argv.slice(2), selectedEnvironments());
  await migrateSiteState({
    site: siteKey(environmentName, siteName),
    stackNames: siteStackNames(environmentName, siteName),
    outdir: process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, 'cdktf.out'),
    terraform: process.env.LMS_TERRAFORM ?? 'terraform',
    env: process.env,
    log: (line) => process.stdout.write(`${line}\n`),
  });
});
