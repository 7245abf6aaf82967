import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A throw-away site CA and a server certificate for 127.0.0.1 signed by it. */
export interface SiteCertificates {
  readonly caFile: string;
  readonly serverKey: string;
  readonly serverCert: string;
}

/** Makes the certificates with the openssl CLI in `directory` (valid for one day). */
export function makeSiteCertificates(directory: string): SiteCertificates {
  const path = (name: string) => join(directory, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=LMS test site CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > server.ext'], { cwd: directory });
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  return { caFile: path('ca.pem'), serverKey: readFileSync(path('server.key'), 'utf8'), serverCert: readFileSync(path('server.pem'), 'utf8') };
}
