import { execFile } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import type { ElasticsearchSetup } from '../../constructs/elasticsearch-setup';
import { createAuthority, issueServingCertificate } from '../deploy/pki';
import { elasticsearchSetupFixture } from '../support/elasticsearch-setup';
import { describeWithTools } from '../support/tools';

/** One request the fake Elasticsearch and Kubernetes API received. */
interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}
type Responder = (request: Recorded) => { status: number; body: string };

const PASSWORD = 's3cr"et\\pw';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.service-account.token';
const ACCESS_KEY = 'ES-SNAPSHOTS-ACCESS';
const SECRET_KEY = 'secret/key+with=odd chars';
const SECRET_PATH = '/api/v1/namespaces/lms-observability/secrets/elasticsearch-snapshot-credentials';
const HEALTH = 'GET /_cluster/health?wait_for_status=yellow&timeout=10s';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const RELOADED = JSON.stringify({ _nodes: { total: 3, successful: 3, failed: 0 }, cluster_name: 'logs', nodes: {} });
const ok: Responder = (request) => (request.url === '/_nodes/reload_secure_settings' ? { status: 200, body: RELOADED } : { status: 200, body: '{"acknowledged":true}' });

describeWithTools('the Elasticsearch setup script, run by sh with curl against HTTPS servers on 127.0.0.1', ['curl'], (tools) => {
  const setup: ElasticsearchSetup = elasticsearchSetupFixture();
  const job = setup.objects.find((object) => object.kind === 'Job') as any;
  const configMap = setup.objects.find((object) => object.kind === 'ConfigMap') as any;
  const container = job.spec.template.spec.containers[0];
  const script: string = container.command[2];
  let scratch: string;
  let server: https.Server;
  let baseUrl: string;
  let recorded: Recorded[];
  let respond: Responder;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'es-setup-'));
    const authority = createAuthority(path.join(scratch, 'ca'));
    const serving = issueServingCertificate(authority, path.join(scratch, 'ca'), 'server', [], ['127.0.0.1']);
    server = https.createServer({ key: fs.readFileSync(serving.keyFile), cert: fs.readFileSync(serving.certFile) }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry = { method: request.method!, url: request.url!, authorization: request.headers.authorization, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') };
        recorded.push(entry);
        const answer = respond(entry);
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fs.mkdirSync(path.join(scratch, 'config'));
    for (const [file, text] of Object.entries(configMap.data as Record<string, string>)) fs.writeFileSync(path.join(scratch, 'config', file), text);
    fs.writeFileSync(path.join(scratch, 'token'), TOKEN);
    fs.writeFileSync(path.join(scratch, 'elastic-password'), PASSWORD);
    // What the Vault agent renders from the template in the pod's annotations.
    fs.writeFileSync(path.join(scratch, 'snapshot-keys.env'), `ACCESS_KEY_B64='${b64(ACCESS_KEY)}'\nSECRET_KEY_B64='${b64(SECRET_KEY)}'`);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  beforeEach(() => {
    recorded = [];
    respond = ok;
  });

  /** Runs the rendered script with the rendered container's environment, pointed at the test servers. */
  function run(overrides: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; tmp: string }> {
    const rendered = Object.fromEntries(container.env.filter((entry: any) => entry.value !== undefined).map((entry: any) => [entry.name, entry.value]));
    const tmp = fs.mkdtempSync(path.join(scratch, 'tmp-'));
    const env = {
      ...rendered,
      ELASTIC_PASSWORD_FILE: path.join(scratch, 'elastic-password'),
      ES_URL: baseUrl,
      ES_CA_FILE: path.join(scratch, 'ca', 'ca.crt'),
      KUBE_API: baseUrl,
      KUBE_CA_FILE: path.join(scratch, 'ca', 'ca.crt'),
      KUBE_TOKEN_FILE: path.join(scratch, 'token'),
      CONFIG_DIR: path.join(scratch, 'config'),
      SNAPSHOT_KEYS_FILE: path.join(scratch, 'snapshot-keys.env'),
      ES_WAIT_SECONDS: '0',
      HOME: tmp,
      TMPDIR: tmp,
      PATH: `${path.dirname(tools.curl)}:/usr/bin:/bin`,
      ...overrides,
    };
    return new Promise((resolve) => {
      execFile('sh', ['-c', script], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr, tmp });
      });
    });
  }

  const lines = () => recorded.map((request) => `${request.method} ${request.url}`);

  test('the rendered container gives the script every variable it reads, the password as a file from ECK\'s Secret', () => {
    expect(container.env.map((entry: any) => entry.name).sort()).toEqual(
      ['CONFIG_DIR', 'ELASTIC_PASSWORD_FILE', 'ES_CA_FILE', 'ES_URL', 'ES_WAIT_ATTEMPTS', 'ES_WAIT_SECONDS', 'HOME', 'KUBE_API', 'KUBE_CA_FILE', 'KUBE_TOKEN_FILE', 'SNAPSHOT_KEYS_FILE'].sort(),
    );
    expect(container.env.find((entry: any) => entry.name === 'ELASTIC_PASSWORD_FILE')).toEqual({ name: 'ELASTIC_PASSWORD_FILE', value: '/etc/elasticsearch-setup/elastic/elastic' });
    expect(container.env.filter((entry: any) => entry.valueFrom !== undefined)).toEqual([]);
    expect(container.volumeMounts).toContainEqual({ name: 'elastic-password', mountPath: '/etc/elasticsearch-setup/elastic', readOnly: true });
  });

  test('waits while the cluster answers 503, then sends every request in order with its credentials and body, and writes the snapshot keys', async () => {
    let health = 0;
    respond = (request) => (request.url.startsWith('/_cluster/health') && ++health <= 2 ? { status: 503, body: '{"error":"master_not_discovered_exception"}' } : ok(request));
    const result = await run();
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines()).toEqual([
      HEALTH,
      HEALTH,
      HEALTH,
      'PUT /_ilm/policy/lms-logs-application',
      'PUT /_ilm/policy/lms-logs-system',
      'PUT /_ilm/policy/lms-logs-security',
      'PUT /_ilm/policy/lms-logs-audit',
      'PUT /_component_template/lms-logs-mappings',
      'PUT /_index_template/lms-logs-application',
      'PUT /_index_template/lms-logs-system',
      'PUT /_index_template/lms-logs-security',
      'PUT /_index_template/lms-logs-audit',
      `PATCH ${SECRET_PATH}`,
      'POST /_nodes/reload_secure_settings',
      'PUT /_snapshot/es-snapshots',
      'PUT /_snapshot/es-snapshots-kitwe',
      'PUT /_slm/policy/lms-scheduled',
    ]);
    const elasticsearch = recorded.filter((request) => !request.url.startsWith('/api/'));
    expect(new Set(elasticsearch.map((request) => request.authorization))).toEqual(new Set([`Basic ${b64(`elastic:${PASSWORD}`)}`]));
    const puts = recorded.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => ({ path: request.url.slice(1), contentType: request.contentType, body: JSON.parse(request.body) }))).toEqual(
      setup.requests.map((request) => ({ path: request.path, contentType: 'application/json', body: JSON.parse(JSON.stringify(request.body)) })),
    );
    const patch = recorded.find((request) => request.method === 'PATCH')!;
    expect({ authorization: patch.authorization, contentType: patch.contentType, body: JSON.parse(patch.body) }).toEqual({
      authorization: `Bearer ${TOKEN}`,
      contentType: 'application/merge-patch+json',
      body: { data: { 's3.client.default.access_key': b64(ACCESS_KEY), 's3.client.default.secret_key': b64(SECRET_KEY) } },
    });
    expect(result.stdout.split('\n')).toContain('elasticsearch-setup: PUT _slm/policy/lms-scheduled (200)');
    for (const secret of [PASSWORD, TOKEN, ACCESS_KEY, SECRET_KEY, b64(ACCESS_KEY), b64(SECRET_KEY), b64(`elastic:${PASSWORD}`)]) {
      expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    }
    // The curl config files holding the credentials are gone.
    expect(fs.readdirSync(result.tmp)).toEqual([]);
  });

  test('stops at a 400 with one line naming the request, the status and Elasticsearch\'s error type', async () => {
    respond = (request) =>
      request.url === '/_index_template/lms-logs-security'
        ? { status: 400, body: '{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"bad"}],"type":"illegal_argument_exception","reason":"bad"},"status":400}' }
        : ok(request);
    const result = await run();
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: 'elasticsearch-setup: PUT _index_template/lms-logs-security answered 400 (illegal_argument_exception)\n' });
    expect(lines().slice(-2)).toEqual(['PUT /_index_template/lms-logs-system', 'PUT /_index_template/lms-logs-security']);
    expect(lines().filter((line) => line === 'PUT /_index_template/lms-logs-security')).toHaveLength(1);
    expect(fs.readdirSync(result.tmp)).toEqual([]);
  });

  test('retries the repository while Elasticsearch cannot verify it yet (new keys rolling out), then goes on', async () => {
    let repository = 0;
    respond = (request) =>
      request.url === '/_snapshot/es-snapshots' && ++repository <= 2
        ? { status: 500, body: '{"error":{"type":"repository_verification_exception","reason":"[es-snapshots] path [lusaka] is not accessible on master node"},"status":500}' }
        : ok(request);
    const result = await run();
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines().slice(-5)).toEqual(['PUT /_snapshot/es-snapshots', 'PUT /_snapshot/es-snapshots', 'PUT /_snapshot/es-snapshots', 'PUT /_snapshot/es-snapshots-kitwe', 'PUT /_slm/policy/lms-scheduled']);
    expect(result.stdout.split('\n')).toContain('elasticsearch-setup: PUT _snapshot/es-snapshots answered 500, retrying (attempt 1 of 90)');
  });

  test('gives up on a request still answered 5xx after the bounded retries', async () => {
    respond = (request) => (request.url === '/_snapshot/es-snapshots' ? { status: 500, body: '{"error":{"type":"repository_verification_exception"},"status":500}' } : ok(request));
    const result = await run({ ES_WAIT_ATTEMPTS: '2' });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: 'elasticsearch-setup: PUT _snapshot/es-snapshots (attempt 2 of 2) answered 500 (repository_verification_exception)\n' });
    expect(lines().filter((line) => line === 'PUT /_snapshot/es-snapshots')).toHaveLength(2);
  });

  test('gives up after the bounded number of health checks', async () => {
    respond = () => ({ status: 503, body: '{}' });
    const result = await run({ ES_WAIT_ATTEMPTS: '3' });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: 'elasticsearch-setup: GET _cluster/health (attempt 3 of 3) answered 503\n' });
    expect(lines()).toEqual([HEALTH, HEALTH, HEALTH]);
  });

  test('stops when the Kubernetes API refuses the Secret, before the repository that needs the keys', async () => {
    respond = (request) => (request.method === 'PATCH' ? { status: 403, body: '{"kind":"Status","reason":"Forbidden"}' } : ok(request));
    const result = await run();
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: `elasticsearch-setup: PATCH ${SECRET_PATH.slice(1)} answered 403\n` });
    expect(lines().at(-1)).toBe(`PATCH ${SECRET_PATH}`);
  });

  test('stops when a node could not reload its secure settings', async () => {
    respond = (request) => (request.url === '/_nodes/reload_secure_settings' ? { status: 200, body: '{"_nodes":{"total":3,"successful":2,"failed":1},"nodes":{}}' } : ok(request));
    const result = await run();
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: 'elasticsearch-setup: POST _nodes/reload_secure_settings answered 200 with nodes that failed to reload\n' });
    expect(lines().at(-1)).toBe('POST /_nodes/reload_secure_settings');
  });
});

describeWithTools('the Elasticsearch setup script', ['shellcheck'], (tools) => {
  test('passes shellcheck as POSIX sh', async () => {
    const script = (elasticsearchSetupFixture().objects.find((object) => object.kind === 'Job') as any).spec.template.spec.containers[0].command[2];
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      const child = execFile(tools.shellcheck, ['-s', 'sh', '-'], (error, stdout, stderr) => resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` }));
      child.stdin!.end(script);
    });
    expect(result).toEqual({ code: 0, output: '' });
  });
});
