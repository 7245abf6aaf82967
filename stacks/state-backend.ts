import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackend } from '../environments/schema';

/**
 * Where `cdktf deploy` runs Terraform for a stack, relative to the project root. The local
 * backend's path is written relative to it so synthesized output names no machine path.
 */
const STACK_WORKING_DIRECTORY_DEPTH = 3; // cdktf.out/stacks/<stack>

/**
 * Configures the stack's Terraform state backend explicitly (cdktf's default local backend
 * would write an absolute path).
 *
 * - `s3`: the environment's in-country MinIO, path-style addressing, the AWS-only checks
 *   switched off, S3-native locking (`use_lockfile`). Credentials only from
 *   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY at deploy time.
 * - `local`: one file per stack under the configured project-relative directory.
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, state: StateBackend): void {
  if (state.kind === 'local') {
    const up = Array(STACK_WORKING_DIRECTORY_DEPTH).fill('..').join('/');
    new LocalBackend(stack, { path: `${up}/${state.directory}/${stackName}.tfstate` });
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
