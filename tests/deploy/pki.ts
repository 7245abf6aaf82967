import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A certificate authority made for one test run: every server of every site trusts it. */
export interface TestAuthority {
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate in PEM, as the kubernetes provider's KUBE_CLUSTER_CA_CERT_DATA. */
  readonly certPem: string;
}

/** A serving certificate and its key. */
export interface ServingCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates a fresh CA (EC P-256, valid one day) in `directory`. */
export function createAuthority(directory: string): TestAuthority {
  fs.mkdirSync(directory, { recursive: true });
  const keyFile = path.join(directory, 'ca.key');
  const certFile = path.join(directory, 'ca.crt');
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile], directory);
  openssl(['req', '-x509', '-new', '-key', keyFile, '-sha256', '-days', '1', '-subj', '/CN=lms-deploy-test-ca', '-out', certFile], directory);
  return { certFile, keyFile, certPem: fs.readFileSync(certFile, 'utf8') };
}

/** Issues a serving certificate for `dnsNames` and `ipAddresses`, signed by `authority`. */
export function issueServingCertificate(
  authority: TestAuthority,
  directory: string,
  name: string,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): ServingCertificate {
  fs.mkdirSync(directory, { recursive: true });
  const keyFile = path.join(directory, `${name}.key`);
  const csrFile = path.join(directory, `${name}.csr`);
  const certFile = path.join(directory, `${name}.crt`);
  const extFile = path.join(directory, `${name}.ext`);
  const sans = [...dnsNames.map((dns) => `DNS:${dns}`), ...ipAddresses.map((ip) => `IP:${ip}`)].join(',');
  fs.writeFileSync(extFile, `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile], directory);
  openssl(['req', '-new', '-key', keyFile, '-subj', `/CN=${name}`, '-out', csrFile], directory);
  openssl(['x509', '-req', '-in', csrFile, '-CA', authority.certFile, '-CAkey', authority.keyFile, '-CAcreateserial', '-days', '1', '-sha256', '-extfile', extFile, '-out', certFile], directory);
  return { certFile, keyFile };
}

/** An RSA key pair for signing and verifying service-account tokens. */
export function createServiceAccountKeys(directory: string): { readonly privateKeyFile: string; readonly publicKeyFile: string } {
  const privateKeyFile = path.join(directory, 'service-account.key');
  const publicKeyFile = path.join(directory, 'service-account.pub');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', privateKeyFile], directory);
  openssl(['pkey', '-in', privateKeyFile, '-pubout', '-out', publicKeyFile], directory);
  return { privateKeyFile, publicKeyFile };
}
