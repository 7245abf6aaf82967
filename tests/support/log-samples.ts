/**
 * Sample log lines for the log pipeline's tests, each as the container wrote it.
 *
 * The loan-service lines are real: written by the loan-service's own logger set-up
 * (`createLogger`), request logging (`createFastify`) and audit writer (`writeAuditLog`), run
 * from app-services/loan-service (its built dist/) with a capturing destination, one approval
 * through a route that audits like `ApplicationService` does, one list query by applicant
 * (whose NRC the request line carries URL-encoded) and the start-up line. The root project's
 * tests cannot import the service's sources (it has its own dependencies), so the lines are
 * copied here as it printed them on 2026-11-26.
 *
 * The Vault audit lines follow Vault's documented audit format (one JSON object a line,
 * `type` request or response, `auth` and `request` objects, secrets as `hmac-sha256:` values);
 * the server lines Vault's standard log format; the Traefik lines its JSON access log with the
 * fields the ingress keeps (no header but User-Agent).
 * @see https://developer.hashicorp.com/vault/docs/audit
 * @see https://doc.traefik.io/traefik/observability/access-logs/
 */

/** Lines the loan-service wrote, in order. */
export const LOAN_SERVICE_LINES = {
  requestIncoming: '{"level":"info","time":"2026-11-26T09:25:26.388Z","service":"loan-service","requestId":"req-7f3a","req":{"method":"POST","url":"/v1/applications/0b5f3c2e-8d1a-4c7e-9f6b-2a1d3e4f5a6b/approve","host":"localhost:80","remoteAddress":"127.0.0.1"},"msg":"incoming request"}',
  audit: '{"level":"info","time":"2026-11-26T09:25:26.393Z","service":"loan-service","requestId":"req-7f3a","audit":true,"actor":"checker-04","action":"application.approve","entity":{"type":"loan_application","id":"0b5f3c2e-8d1a-4c7e-9f6b-2a1d3e4f5a6b"},"before":{"id":"0b5f3c2e-8d1a-4c7e-9f6b-2a1d3e4f5a6b","productId":"salary-advance","productVersion":3,"applicantNationalId":"123456/78/1","applicantName":"Mwila Banda","applicantMonthlyIncomeNgwee":850000,"creditScore":640,"riskGrade":"B","riskGradesVersion":2,"principalNgwee":500000,"instalmentCount":6,"startDate":"2026-12-01","totalRepayableNgwee":575000,"status":"submitted","createdBy":"officer-17","createdAt":"2026-11-26T08:59:00.000Z","updatedAt":"2026-11-26T08:59:00.000Z","decidedBy":null,"decidedAt":null,"rejectionReason":null,"disbursedBy":null,"disbursedAt":null},"after":{"id":"0b5f3c2e-8d1a-4c7e-9f6b-2a1d3e4f5a6b","productId":"salary-advance","productVersion":3,"applicantNationalId":"123456/78/1","applicantName":"Mwila Banda","applicantMonthlyIncomeNgwee":850000,"creditScore":640,"riskGrade":"B","riskGradesVersion":2,"principalNgwee":500000,"instalmentCount":6,"startDate":"2026-12-01","totalRepayableNgwee":575000,"status":"approved","createdBy":"officer-17","createdAt":"2026-11-26T08:59:00.000Z","updatedAt":"2026-11-26T09:00:00.000Z","decidedBy":"checker-04","decidedAt":"2026-11-26T09:00:00.000Z","rejectionReason":null,"disbursedBy":null,"disbursedAt":null},"at":"2026-11-26T09:00:00.000Z","msg":"audit application.approve"}',
  requestCompleted: '{"level":"info","time":"2026-11-26T09:25:26.400Z","service":"loan-service","requestId":"req-7f3a","res":{"statusCode":200},"responseTime":11.087413999999967,"msg":"request completed"}',
  listQueryIncoming: '{"level":"info","time":"2026-11-26T09:25:26.401Z","service":"loan-service","requestId":"req-7f3b","req":{"method":"GET","url":"/v1/applications?applicant=123456%2F78%2F1&limit=20","host":"localhost:80","remoteAddress":"127.0.0.1"},"msg":"incoming request"}',
  listQueryCompleted: '{"level":"info","time":"2026-11-26T09:25:26.402Z","service":"loan-service","requestId":"req-7f3b","res":{"statusCode":200},"responseTime":0.5755339999999478,"msg":"request completed"}',
  listening: '{"level":"info","time":"2026-11-26T09:25:26.402Z","service":"loan-service","address":"http://0.0.0.0:8080","database":"mssql","documentStore":"s3","authMode":"oidc","msg":"loan-service listening"}',
} as const;

const HMAC = 'hmac-sha256:5c0b3f1f0a8e4f7d9b2c6a1e3d5f7a9b0c2e4f6a8b1d3f5e7a9c0b2d4f6e8a1c';

/** Vault's audit device on the server's standard output: a Kubernetes login, then a read of a secret and its response. */
export const VAULT_AUDIT_LINES = {
  loginRequest: JSON.stringify({
    time: '2026-11-26T09:00:00.101234Z',
    type: 'request',
    auth: { token_type: 'default' },
    request: {
      id: '5d1f2c3b-4a5e-6f70-8192-a3b4c5d6e7f8',
      operation: 'update',
      mount_point: 'auth/kubernetes/',
      mount_type: 'kubernetes',
      namespace: { id: 'root' },
      path: 'auth/kubernetes/login',
      data: { jwt: HMAC, role: HMAC },
      remote_address: '10.42.3.17',
      remote_port: 51234,
    },
  }),
  readRequest: JSON.stringify({
    time: '2026-11-26T09:00:00.201234Z',
    type: 'request',
    auth: {
      client_token: HMAC,
      accessor: HMAC,
      display_name: 'kubernetes-lms-apps-loan-service',
      policies: ['default', 'loan-service'],
      token_policies: ['default', 'loan-service'],
      metadata: { role: 'loan-service', service_account_name: 'loan-service', service_account_namespace: 'lms-apps' },
      entity_id: '7a8b9c0d-1e2f-3a4b-5c6d-7e8f9a0b1c2d',
      token_type: 'service',
      token_ttl: 3600,
    },
    request: {
      id: '6e2a3d4c-5b6f-7081-92a3-b4c5d6e7f809',
      operation: 'read',
      mount_point: 'secret/',
      mount_type: 'kv',
      client_token: HMAC,
      client_token_accessor: HMAC,
      namespace: { id: 'root' },
      path: 'secret/data/loan-service/database',
      remote_address: '10.42.3.17',
      remote_port: 51236,
    },
  }),
  readResponse: JSON.stringify({
    time: '2026-11-26T09:00:00.203456Z',
    type: 'response',
    auth: { client_token: HMAC, accessor: HMAC, display_name: 'kubernetes-lms-apps-loan-service', policies: ['default', 'loan-service'], token_type: 'service' },
    request: { id: '6e2a3d4c-5b6f-7081-92a3-b4c5d6e7f809', operation: 'read', mount_type: 'kv', path: 'secret/data/loan-service/database', remote_address: '10.42.3.17' },
    response: { mount_point: 'secret/', mount_type: 'kv', data: { data: { password: HMAC, username: HMAC } } },
  }),
} as const;

/** Vault's own server log (standard format) on the same stream. */
export const VAULT_SERVER_LINES = {
  unsealed: '2026-11-26T08:58:00.000Z [INFO]  core: vault is unsealed',
  loginRefused: '2026-11-26T09:00:03.512Z [ERROR] auth.kubernetes.auth_kubernetes_3c4d5e6f: login unauthorized: err="service account name not authorized"',
} as const;

const traefikAccess = (status: number, path: string) =>
  JSON.stringify({
    ClientAddr: '41.72.96.10:53412',
    ClientHost: '41.72.96.10',
    DownstreamContentSize: 58,
    DownstreamStatus: status,
    Duration: 1843021,
    RequestHost: 'loans.prod.lusaka.lms.co.zm',
    RequestMethod: 'GET',
    RequestPath: path,
    RequestProtocol: 'HTTP/2.0',
    RequestScheme: 'https',
    RouterName: 'httproute-lms-apps-loan-service-gw-lms-platform-lms-websecure-0-rule-0',
    entryPointName: 'websecure',
    level: 'info',
    msg: '',
    'request_User-Agent': 'Mozilla/5.0',
    time: '2026-11-26T09:00:04Z',
  });

/** Traefik's JSON access log: refused and served requests, and a line of its own log. */
export const TRAEFIK_LINES = {
  unauthenticated: traefikAccess(401, '/v1/applications'),
  forbidden: traefikAccess(403, '/v1/config/loan-products'),
  served: traefikAccess(200, '/v1/applications'),
  ownLog: JSON.stringify({ level: 'error', error: 'secret lms-platform/gateway-tls does not exist', time: '2026-11-26T09:00:05Z', message: 'Error while building TLS store' }),
} as const;

/** An event as Filebeat sends it for a line of a container. */
export function containerEvent(namespace: string, pod: string, container: string, message: string): Record<string, unknown> {
  return { message, stream: 'stdout', kubernetes: { namespace, pod: { name: pod }, container: { name: container } } };
}
