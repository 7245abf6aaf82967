import { primaryConfig } from '../support/configs';
import { temporaryDirectory, type TemporaryDirectory } from '../support/files';
import { httpGet, samples } from '../support/http-get';
import { runProgram, startProgram } from '../support/program';
import { makeSiteCertificates } from '../support/site-ca';

const PASSWORD = 'never-print-this-password';

describe('node dist/main.js (the built program, as the container runs it)', () => {
  let directory: TemporaryDirectory;
  let environment: Record<string, string>;
  let config: string;
  beforeAll(() => {
    directory = temporaryDirectory();
    const certificates = makeSiteCertificates(directory.path);
    config = directory.write('log-shipping.json', primaryConfig());
    environment = {
      // Nothing listens on port 9 of 127.0.0.1: the connection is refused.
      MSSQL_HOST: '127.0.0.1',
      MSSQL_PORT: '9',
      MSSQL_USER: 'log_shipping',
      MSSQL_PASSWORD_FILE: directory.write('mssql-password', `${PASSWORD}\n`),
      MSSQL_CA_FILE: certificates.caFile,
      S3_ENDPOINT: 'http://127.0.0.1:9',
      S3_ALLOW_HTTP: 'true',
      S3_REGION: 'us-east-1',
      S3_CREDENTIALS_FILE: directory.write('s3-credentials', "AWS_ACCESS_KEY_ID='lms'\nAWS_SECRET_ACCESS_KEY='never-print-this-key'\n"),
    };
  });
  afterAll(() => directory.remove());

  it('exits 2 listing every problem with the config and the environment', async () => {
    expect(await runProgram(['backup', '--kind', 'log', '--config', '/nonexistent.json'], {})).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        '/nonexistent.json: cannot read the config file (ENOENT: no such file or directory)',
        "MSSQL_HOST: missing (allowed: the DNS name of the site's SQL Server, as its certificate names it)",
        'MSSQL_USER: missing (allowed: the SQL login the jobs connect as)',
        'MSSQL_PASSWORD_FILE: missing (allowed: the path of the file that holds the password of MSSQL_USER)',
        "MSSQL_CA_FILE: missing (allowed: the path of the PEM file of the CA that signs SQL Server's certificate)",
        'S3_ENDPOINT: missing (allowed: an https:// URL of the object store with no path, e.g. https://minio.lms-data.svc)',
        'S3_REGION: missing (allowed: the region the object store is set to, e.g. us-east-1)',
        'S3_CREDENTIALS_FILE: missing (allowed: the path of the file the Vault agent renders with AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=...)',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 for bad arguments and for password files setup cannot read', async () => {
    expect((await runProgram(['backup', '--kind', 'incremental', '--config', config], environment)).code).toBe(2);
    expect(await runProgram(['setup', '--config', config], { ...environment, MSSQL_PORT: 'x' })).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'MSSQL_PORT: "x" is not allowed (allowed: a port from 1 to 65535; default 1433)',
        `${config}: logins[0].passwordFile: cannot read "/vault/secrets/loan-service-password" (ENOENT: no such file or directory)`,
        `${config}: logins[1].passwordFile: cannot read "/vault/secrets/log-shipping-password" (ENOENT: no such file or directory)`,
        '',
      ].join('\n'),
    });
  });

  it('exits 1 with one JSON line on stderr when SQL Server cannot be reached, printing no secret', async () => {
    const run = await runProgram(['backup', '--kind', 'log', '--config', config], environment);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 'error',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      job: 'backup-log',
      msg: expect.stringMatching(/^cannot connect to SQL Server 127\.0\.0\.1:9 as log_shipping: Failed to connect to 127\.0\.0\.1:9/) as unknown,
    });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/never-print/);
  });

  it('runs the exporter until SIGTERM, answering lms_sql_up 0 while SQL Server is unreachable, and exits 0', async () => {
    const program = startProgram(['exporter', '--config', config, '--port', '0', '--host', '127.0.0.1'], environment);
    const started = await program.waitForLogLine((entry) => entry['msg'] === 'exporter started');
    const port = started['metricsPort'] as number;
    expect((await httpGet(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(samples((await httpGet(`http://127.0.0.1:${port}/metrics`)).body, 'lms_sql_up')).toEqual(['lms_sql_up 0']);
    program.child.kill('SIGTERM');
    expect(await program.exited).toEqual({ code: 0, signal: null });
    expect(program.stderr()).toBe('');
    expect(program.stdout()).not.toMatch(/never-print/);
  });
});
