import { readFileSync } from 'node:fs';
import { ConfigurationError, describeFileError } from '../errors';

/** How to reach the site's object store, from the environment. Holds no secret. */
export interface ConnectionSettings {
  /** `S3_ENDPOINT`: https:// (http:// only with `S3_ALLOW_HTTP=true`). */
  readonly endpoint: string;
  /** `S3_REGION`: the MinIO region, signed into every request. */
  readonly region: string;
  /** `S3_CA_FILE`: PEM of the site CA, trusted besides Node's own CAs. */
  readonly caCertificates?: string;
  /** `S3_CREDENTIALS_FILE`: the file the Vault agent renders; read again on every cycle. */
  readonly credentialsFile: string;
}

const ENDPOINT_ALLOWED = 'an https:// URL of the object store with no path, e.g. https://minio.lms-data.svc';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads `S3_ENDPOINT`, `S3_ALLOW_HTTP`, `S3_REGION`, `S3_CA_FILE` and `S3_CREDENTIALS_FILE`.
 * Every problem is one line of the {@link ConfigurationError}.
 */
export function readConnectionSettings(environment: NodeJS.ProcessEnv): ConnectionSettings {
  const problems: string[] = [];

  const allowHttpText = environment['S3_ALLOW_HTTP'];
  if (allowHttpText !== undefined && allowHttpText !== 'true' && allowHttpText !== 'false') {
    problems.push(`S3_ALLOW_HTTP: "${allowHttpText}" is not allowed (allowed: true or false; true is for tests only)`);
  }
  const allowHttp = allowHttpText === 'true';

  const endpoint = environment['S3_ENDPOINT'];
  if (endpoint === undefined || endpoint === '') {
    problems.push(`S3_ENDPOINT: missing (allowed: ${ENDPOINT_ALLOWED})`);
  } else {
    const problem = checkEndpoint(endpoint, allowHttp);
    if (problem !== undefined) problems.push(problem);
  }

  const region = environment['S3_REGION'];
  if (region === undefined || region === '') problems.push('S3_REGION: missing (allowed: the region the object store is set to, e.g. us-east-1)');

  const credentialsFile = environment['S3_CREDENTIALS_FILE'];
  if (credentialsFile === undefined || credentialsFile === '') {
    problems.push('S3_CREDENTIALS_FILE: missing (allowed: the path of the file the Vault agent renders with AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=...)');
  }

  let caCertificates: string | undefined;
  const caFile = environment['S3_CA_FILE'];
  if (caFile !== undefined && caFile !== '') {
    try {
      caCertificates = readFileSync(caFile, 'utf8');
      if (!PEM_CERTIFICATE.test(caCertificates)) {
        problems.push(`S3_CA_FILE: "${caFile}" holds no PEM certificate (allowed: a file with -----BEGIN CERTIFICATE----- blocks)`);
      }
    } catch (error) {
      problems.push(`S3_CA_FILE: cannot read "${caFile}" (${describeFileError(error)})`);
    }
  }

  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    endpoint: endpoint as string,
    region: region as string,
    credentialsFile: credentialsFile as string,
    ...(caCertificates === undefined ? {} : { caCertificates }),
  };
}

function checkEndpoint(endpoint: string, allowHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `S3_ENDPOINT: "${endpoint}" is not a URL (allowed: ${ENDPOINT_ALLOWED})`;
  }
  if (url.username !== '' || url.password !== '') {
    // Never echo credentials that were put in the URL.
    return `S3_ENDPOINT: "${url.protocol}//***@${url.host}" holds credentials (allowed: ${ENDPOINT_ALLOWED}; credentials come from S3_CREDENTIALS_FILE)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `S3_ENDPOINT: "${endpoint}" uses ${url.protocol} (allowed: ${ENDPOINT_ALLOWED})`;
  if (url.protocol === 'http:' && !allowHttp) {
    return `S3_ENDPOINT: "${endpoint}" uses http, which would send requests unencrypted (allowed: ${ENDPOINT_ALLOWED}; S3_ALLOW_HTTP=true permits http and is for tests only)`;
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return `S3_ENDPOINT: "${endpoint}" has a path or query (allowed: ${ENDPOINT_ALLOWED})`;
  }
  return undefined;
}
