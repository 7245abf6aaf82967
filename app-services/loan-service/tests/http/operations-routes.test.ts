import { MWILA_APPLICATION, seedApprovedConfiguration } from '../support/fixtures';
import { LOAN_OFFICER_OLIVIA } from '../support/http-client';
import { startTestService, type TestService } from '../support/test-service';

/** Every route the service serves on its main port, as documented in README.md. */
const EVERY_ROUTE = [
  'GET /healthz',
  'GET /readyz',
  'GET /v1/products',
  'GET /v1/products/{productId}',
  'GET /v1/products/{productId}/versions',
  'POST /v1/products/{productId}/versions',
  'POST /v1/products/{productId}/versions/{version}/approve',
  'POST /v1/products/{productId}/versions/{version}/reject',
  'GET /v1/risk-grades',
  'GET /v1/risk-grades/versions',
  'POST /v1/risk-grades/versions',
  'POST /v1/risk-grades/versions/{version}/approve',
  'POST /v1/risk-grades/versions/{version}/reject',
  'GET /v1/products/{productId}/versions/{version}/diff',
  'GET /v1/risk-grades/versions/{version}/diff',
  ...['/v1/authority-matrix', '/v1/branches', '/v1/compliance-settings'].flatMap((base) => [
    `GET ${base}`,
    `GET ${base}/versions`,
    `POST ${base}/versions`,
    `POST ${base}/versions/{version}/approve`,
    `POST ${base}/versions/{version}/reject`,
    `GET ${base}/versions/{version}/diff`,
  ]),
  'POST /v1/applications',
  'GET /v1/applications',
  'GET /v1/applications/{applicationId}',
  'GET /v1/applications/{applicationId}/schedule',
  'POST /v1/applications/{applicationId}/approve',
  'POST /v1/applications/{applicationId}/reject',
  'POST /v1/applications/{applicationId}/disburse',
  'POST /v1/schedules',
  'POST /v1/applications/{applicationId}/documents',
  'GET /v1/applications/{applicationId}/documents',
  'GET /v1/applications/{applicationId}/documents/{documentId}',
];

describe('operations routes', () => {
  let test: TestService;
  beforeEach(async () => {
    test = await startTestService();
  });
  afterEach(async () => {
    await test.close();
  });

  it('answers /healthz without touching dependencies', async () => {
    await test.service.database.destroy();
    const response = await test.client.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
  });

  it('answers /readyz 503 naming the database when it is unreachable', async () => {
    expect((await test.client.get('/readyz')).status).toBe(200);
    await test.service.database.destroy();
    const response = await test.client.get('/readyz');
    expect(response.status).toBe(503);
    expect(response.json.status).toBe('not_ready');
    expect(response.json.checks.documentStore).toBe('ok');
    expect(response.json.checks.database).toMatch(/^failed: /);
  });

  it('answers /readyz 503 while shutting down', async () => {
    test.service.lifecycle.shuttingDown = true;
    const response = await test.client.get('/readyz');
    expect(response.status).toBe(503);
    expect(response.json).toEqual({ status: 'shutting_down', checks: { database: 'ok', documentStore: 'ok' } });
  });

  it('honours an incoming x-request-id and makes one up otherwise', async () => {
    const given = await test.client.get('/healthz', { headers: { 'x-request-id': 'ingress-7f3a.42' } });
    expect(given.headers.get('x-request-id')).toBe('ingress-7f3a.42');
    const hostile = await test.client.get('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const logged = await test.client.get('/v1/products', { as: LOAN_OFFICER_OLIVIA, headers: { 'x-request-id': 'trace-123' } });
    expect(logged.status).toBe(200);
    expect(test.logLines.some((line) => line.requestId === 'trace-123' && line.msg === 'request completed')).toBe(true);
  });

  it('exposes HTTP, pool, business and process metrics', async () => {
    await seedApprovedConfiguration(test.client);
    await test.client.post('/v1/applications', { as: LOAN_OFFICER_OLIVIA, body: MWILA_APPLICATION });
    await test.client.get('/v1/applications/7d3c2f44-1111-4222-8333-944455556666', { as: LOAN_OFFICER_OLIVIA });
    const response = await test.metricsClient.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const lines = response.text.split('\n');
    expect(lines).toContain('loan_applications_created_total 1');
    expect(lines).toContain('loan_applications_approved_total 0');
    expect(lines).toContain('business_config_versions_approved_total 3');
    expect(lines).toContain('http_requests_total{method="POST",route="/v1/applications",status_code="201"} 1');
    expect(lines).toContain('http_request_errors_total{method="GET",route="/v1/applications/:applicationId",status_code="404"} 1');
    expect(response.text).toContain('http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/applications",status_code="201"}');
    expect(lines).toContain('db_pool_connections_free 1');
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves an OpenAPI 3 document listing every route, each of which is served', async () => {
    const response = await test.metricsClient.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.json.openapi).toBe('3.1.0');
    const documented = Object.entries(response.json.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...EVERY_ROUTE].sort());
    for (const route of EVERY_ROUTE) {
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace(/\{[A-Za-z]+\}/g, (name) => (name === '{version}' ? '1' : name === '{productId}' ? 'salary-advance' : '7d3c2f44-1111-4222-8333-944455556666'));
      const served = await test.client.request(method, concrete, {});
      expect(`${route} -> ${served.json?.message ?? ''}`).not.toMatch(/no route for/);
    }
    const create = response.json.paths['/v1/applications'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['productId', 'applicant', 'creditScore', 'principalNgwee', 'instalmentCount']),
    );
    expect(create.responses['422'].description).toBe('Amount, term, grade or affordability outside the rules.');
    const upload = response.json.paths['/v1/applications/{applicationId}/documents'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
  });

  it('serves /metrics and /openapi.json only on the metrics listener, and nothing else there', async () => {
    for (const path of ['/metrics', '/openapi.json']) {
      const onMainPort = await test.client.get(path);
      expect(onMainPort.status).toBe(404);
      expect(onMainPort.json).toEqual({ error: 'not_found', message: `no route for GET ${path}` });
      expect((await test.metricsClient.get(path)).status).toBe(200);
    }
    for (const path of ['/healthz', '/readyz', '/v1/products']) {
      const onMetricsPort = await test.metricsClient.get(path, { as: LOAN_OFFICER_OLIVIA });
      expect(onMetricsPort.status).toBe(404);
      expect(onMetricsPort.json).toEqual({ error: 'not_found', message: `no route for GET ${path}` });
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await test.client.get('/v2/loans');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: 'not_found', message: 'no route for GET /v2/loans' });
  });
});

describe('readiness of an unreachable object store', () => {
  it('names the document store', async () => {
    const test = await startTestService({
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:1',
      S3_BUCKET: 'loan-documents',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    try {
      const response = await test.client.get('/readyz');
      expect(response.status).toBe(503);
      expect(response.json.checks.database).toBe('ok');
      expect(response.json.checks.documentStore).toMatch(/^failed: /);
    } finally {
      await test.close();
    }
  });
});
