import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOAN_SERVICE_METRICS_PORT, LOAN_SERVICE_PORT } from '../../charts-ts/loan-service-chart';
import { LOAN_SERVICE_IMAGE_USER, type LoanService } from '../../constructs/loan-service';
import { PROJECT_ROOT } from '../support/environments';
import { createAuthority } from '../deploy/pki';
import { loanServiceFixture } from '../support/fixtures';

/**
 * The chart and the service are written apart; these tests hold them to one contract:
 * the image's user and port, and a pod's configuration (environment + Vault files) being
 * one the service itself accepts.
 */
const SERVICE = path.join(PROJECT_ROOT, 'app-services/loan-service');

function productionLoanService(): LoanService {
  return loanServiceFixture();
}

describe('loan-service image and chart agree', () => {
  const dockerfile = fs.readFileSync(path.join(SERVICE, 'Dockerfile'), 'utf8');

  test('the pod runs as the image\'s user and probes the port it exposes', () => {
    expect(dockerfile).toMatch(new RegExp(`^USER ${LOAN_SERVICE_IMAGE_USER}(:${LOAN_SERVICE_IMAGE_USER})?$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${LOAN_SERVICE_PORT} ${LOAN_SERVICE_METRICS_PORT}$`, 'm'));
    expect(productionLoanService().runAsUser).toBe(LOAN_SERVICE_IMAGE_USER);
  });

  test('the service accepts the pod\'s configuration: its environment plus the files the Vault agent writes', () => {
    const service = productionLoanService();
    const secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-vault-secrets-'));
    for (const secret of service.secretFiles) fs.writeFileSync(path.join(secrets, secret.file), `${secret.file}-value-from-vault-0123456789abcdef\n`);
    // The site CA the pod mounts (NODE_EXTRA_CA_CERTS): Node warns on stderr if it cannot load it.
    expect(service.containerEnv.NODE_EXTRA_CA_CERTS).toBe('/etc/lms-ca/ca.crt');
    const authority = createAuthority(path.join(secrets, 'ca'));
    const script = `
      const { loadConfig } = require(${JSON.stringify(path.join(SERVICE, 'src/config/load-config.ts'))});
      const config = loadConfig(process.env);
      process.stdout.write(JSON.stringify({ port: config.port, database: config.database.client, documents: config.documents.store, auth: config.auth.mode }));
    `;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: SERVICE,
      env: { PATH: process.env.PATH, ...service.containerEnv, VAULT_SECRETS_DIR: secrets, NODE_EXTRA_CA_CERTS: authority.certFile },
      encoding: 'utf8',
    });
    fs.rmSync(secrets, { recursive: true, force: true });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ port: LOAN_SERVICE_PORT, database: 'mssql', documents: 's3', auth: 'jwt' });
  });

  test('without the Vault files the service refuses to start, naming the missing secret', () => {
    const service = productionLoanService();
    const script = `require(${JSON.stringify(path.join(SERVICE, 'src/config/load-config.ts'))}).loadConfig(process.env)`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: SERVICE,
      env: { PATH: process.env.PATH, ...service.containerEnv, VAULT_SECRETS_DIR: path.join(os.tmpdir(), 'lms-no-such-vault-dir') },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('MSSQL_PASSWORD: is not set');
  });
});
