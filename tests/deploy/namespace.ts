import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';

/** Set by tests/deploy/run.sh inside the namespaces it creates (with LMS_DEPLOY_OUTER_NAMESPACES, the ones it left). */
export const NAMESPACE_MARKER = 'LMS_DEPLOY_NAMESPACE';

/**
 * True only inside the loopback-only network namespace and private mount namespace that
 * `npm run test:deploy` creates: the namespaces differ from init's and only `lo` exists.
 * Nothing in the deploy tier starts a server or touches /etc/hosts otherwise.
 */
export function insideTestNamespace(): { readonly inside: true } | { readonly inside: false; readonly why: string } {
  if (process.env[NAMESPACE_MARKER] !== '1') return { inside: false, why: `${NAMESPACE_MARKER} is not set: run the deploy tier through \`npm run test:deploy\`, which creates the namespaces` };
  const outer = (process.env.LMS_DEPLOY_OUTER_NAMESPACES ?? '').split(' ').filter(Boolean);
  if (outer.length !== 2) return { inside: false, why: 'LMS_DEPLOY_OUTER_NAMESPACES does not name the outer network and mount namespaces' };
  for (const kind of ['net', 'mnt']) {
    const own = fs.readlinkSync(`/proc/self/ns/${kind}`);
    if (outer.includes(own)) return { inside: false, why: `this process is still in the outer ${kind} namespace ${own}` };
  }
  const interfaces = Object.keys(os.networkInterfaces());
  if (interfaces.some((name) => name !== 'lo')) return { inside: false, why: `network interfaces other than lo exist: ${interfaces.join(', ')}` };
  return { inside: true };
}

function requireNamespace(): void {
  const check = insideTestNamespace();
  if (!check.inside) throw new Error(`refusing to change /etc/hosts: ${check.why}`);
}

/**
 * Makes the environments' real host names resolve to the local sites, for this mount
 * namespace only: writes LMS_DEPLOY_HOSTS_FILE (one per run, made by run.sh) and, the first
 * time, bind-mounts it over /etc/hosts; later calls rewrite it in place, so every process
 * started afterwards sees the current names.
 */
export function installHostsFile(entries: ReadonlyMap<string, string>): void {
  requireNamespace();
  const lines = ['127.0.0.1 localhost', ...[...entries].sort(([a], [b]) => a.localeCompare(b)).map(([host, ip]) => `${ip} ${host}`), ''];
  const file = process.env.LMS_DEPLOY_HOSTS_FILE;
  if (!file) throw new Error('LMS_DEPLOY_HOSTS_FILE is not set: run the deploy tier through `npm run test:deploy`');
  fs.writeFileSync(file, lines.join('\n'));
  // Bound already when /etc/hosts is that very file (an earlier harness of this run).
  if (fs.statSync('/etc/hosts').ino !== fs.statSync(file).ino) {
    execFileSync('mount', ['--bind', file, '/etc/hosts'], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
