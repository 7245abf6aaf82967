import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackend } from '../environments/schema';
import { BOOTSTRAP_STATE_DIRECTORY, isStateBootstrapSite } from './state-bootstrap';

/**
 * Where `cdktf deploy` runs Terraform for a stack, relative to the project root. The local
 * backend's path is written relative to it so synthesized output names no machine path.
 */
const STACK_WORKING_DIRECTORY_DEPTH = 3; // cdktf.out/stacks/<stack>

/**
 * The local backend's `path` of a stack whose state files go to `directory` (relative to the
 * project root), as written relative to the stack's working directory.
 */
export function localStatePath(directory: string, stackName: string): string {
  const up = Array(STACK_WORKING_DIRECTORY_DEPTH).fill('..').join('/');
  return `${up}/${directory}/${stackName}.tfstate`;
}

/**
 * Configures the stack's Terraform state backend explicitly (cdktf's default local backend
 * would write an absolute path).
 *
 * - `s3`: the environment's in-country MinIO, path-style addressing, the AWS-only checks
 *   switched off, S3-native locking (`use_lockfile`). Credentials only from
 *   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY at deploy time.
 * - `local`: one file per stack under the configured project-relative directory.
 *
 * A site the app synthesizes with bootstrap state (`LMS_STATE_BOOTSTRAP`, ./state-bootstrap.ts)
 * gets a local backend in `.terraform-state/bootstrap/` instead of its S3 one.
 *
 * @param site the stack's `<environment>-<site>`
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, state: StateBackend, site: string): void {
  if (isStateBootstrapSite(stack, site)) {
    new LocalBackend(stack, { path: localStatePath(BOOTSTRAP_STATE_DIRECTORY, stackName) });
    return;
  }
  if (state.kind === 'local') {
    new LocalBackend(stack, { path: localStatePath(state.directory, stackName) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: `${stackName}.tfstate`,
    region: state.region,
    endpoints: { s3: state.endpoint },
    usePathStyle: true,
    encrypt: true,
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipS3Checksum: true,
  });
  // S3-native lock files (Terraform >= 1.10); the cdktf 0.21 bindings predate the option.
  backend.addOverride('use_lockfile', true);
}
