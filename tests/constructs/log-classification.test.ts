import { CLASSIFICATION_RULES, NATIONAL_ID_MASK, classifyEvent, filterEvent, maskNationalIds } from '../../constructs/log-classification';
import { LogCondition } from '../../constructs/log-condition';
import { LOAN_SERVICE_LINES, TRAEFIK_LINES, VAULT_AUDIT_LINES, VAULT_SERVER_LINES, containerEvent } from '../support/log-samples';

// Logstash cannot run here: the rules are proven by evaluating the same condition trees the
// pipeline text is rendered from (`LogCondition.matches`) on real lines, and the text each
// renders to is pinned, so what is proven is what Logstash runs.

const loanService = (line: string) => containerEvent('lms-apps', 'loan-service-7d9f8c6b5-x2k4p', 'loan-service', line);
const vault = (line: string) => containerEvent('lms-security', 'vault-0', 'vault', line);
const traefik = (line: string) => containerEvent('lms-platform', 'traefik-lms-platform-6c7d8e9f0-q8w7e', 'traefik', line);
const filtered = (event: Record<string, unknown>) => {
  const result = filterEvent(event);
  if (result === undefined) throw new Error('the event was dropped');
  return result;
};

describe('log classes of real lines', () => {
  test.each([
    ['the loan-service\'s audit line (writeAuditLog through the request logger)', loanService(LOAN_SERVICE_LINES.audit), 'audit'],
    ['the loan-service\'s incoming-request line', loanService(LOAN_SERVICE_LINES.requestIncoming), 'application'],
    ['the loan-service\'s request-completed line', loanService(LOAN_SERVICE_LINES.requestCompleted), 'application'],
    ['the loan-service\'s start-up line', loanService(LOAN_SERVICE_LINES.listening), 'application'],
    ['the loan-service\'s start-up failure (plain text on stderr)', loanService('loan-service: failed to start: database unreachable'), 'application'],
    ['Vault\'s audit request of a Kubernetes login (no token yet)', vault(VAULT_AUDIT_LINES.loginRequest), 'audit'],
    ['Vault\'s audit request of a secret read', vault(VAULT_AUDIT_LINES.readRequest), 'audit'],
    ['Vault\'s audit response of a secret read', vault(VAULT_AUDIT_LINES.readResponse), 'audit'],
    ['Vault\'s server log: unsealed', vault(VAULT_SERVER_LINES.unsealed), 'security'],
    ['Vault\'s server log: a refused login', vault(VAULT_SERVER_LINES.loginRefused), 'security'],
    ['Traefik\'s access line of a 401', traefik(TRAEFIK_LINES.unauthenticated), 'security'],
    ['Traefik\'s access line of a 403', traefik(TRAEFIK_LINES.forbidden), 'security'],
    ['Traefik\'s access line of a 200', traefik(TRAEFIK_LINES.served), 'system'],
    ['Traefik\'s own error log', traefik(TRAEFIK_LINES.ownLog), 'system'],
    ['the Vault agent beside the loan-service', containerEvent('lms-apps', 'loan-service-7d9f8c6b5-x2k4p', 'vault-agent', '2026-11-26T09:00:00.000Z [INFO]  agent: (runner) rendered "(dynamic)" => "/vault/secrets/database"'), 'system'],
    ['CoreDNS', containerEvent('kube-system', 'coredns-5d78c9869d-abcde', 'coredns', '[INFO] plugin/reload: Running configuration SHA512 = 0f1e2d'), 'system'],
  ])('%s is %s', (_what, event, logClass) => {
    expect(classifyEvent(filtered(event).event)).toBe(logClass);
    expect(filtered(event).logClass).toBe(logClass);
  });

  test.each([
    ['a Vault-audit-shaped line from a pod outside the security namespace', containerEvent('lms-apps', 'loan-service-7d9f8c6b5-x2k4p', 'loan-service', VAULT_AUDIT_LINES.readRequest), 'application'],
    ['a Vault-audit-shaped line from another container of the security namespace', containerEvent('lms-security', 'vault-0', 'tls-reloader', VAULT_AUDIT_LINES.readRequest), 'system'],
    ['an "audit": true line from another app in the apps namespace', containerEvent('lms-apps', 'reports-5f6d7c8b9-zzzzz', 'reports', LOAN_SERVICE_LINES.audit), 'system'],
    ['an "audit": true line of the loan-service\'s name in another namespace', containerEvent('lms-data', 'loan-service-0', 'loan-service', LOAN_SERVICE_LINES.audit), 'system'],
    ['a 401 from a container named traefik outside the platform namespace', containerEvent('lms-apps', 'traefik-0', 'traefik', TRAEFIK_LINES.unauthenticated), 'system'],
    ['Vault JSON with type "request" but no request object', vault('{"type":"request","time":"2026-11-26T09:00:00Z"}'), 'security'],
    ['a 401 written as a string', traefik(TRAEFIK_LINES.unauthenticated.replace('"DownstreamStatus":401', '"DownstreamStatus":"401"')), 'system'],
    ['an audit line with "audit": false', loanService(LOAN_SERVICE_LINES.audit.replace('"audit":true', '"audit":false')), 'application'],
  ])('no class is gained by look-alikes: %s is %s', (_what, event, logClass) => {
    expect(filtered(event).logClass).toBe(logClass);
  });

  test('blank lines are dropped, and so is an event without a line', () => {
    expect(filterEvent(loanService(''))).toBeUndefined();
    expect(filterEvent(loanService('   \t'))).toBeUndefined();
    expect(filterEvent({ kubernetes: { namespace: 'lms-apps' } })).toBeUndefined();
  });

  test('a JSON line is decoded into json and keeps its line; a broken or plain line stays as written', () => {
    const decoded = filtered(loanService(LOAN_SERVICE_LINES.listening)).event;
    expect(decoded.json).toEqual({ level: 'info', time: '2026-11-26T09:25:26.402Z', service: 'loan-service', address: 'http://0.0.0.0:8080', database: 'mssql', documentStore: 's3', authMode: 'oidc', msg: 'loan-service listening' });
    expect(decoded.message).toBe(LOAN_SERVICE_LINES.listening);
    expect(filtered(loanService('{"level":"info",')).event).toEqual(loanService('{"level":"info",'));
    expect(filtered(vault(VAULT_SERVER_LINES.unsealed)).event).toEqual(vault(VAULT_SERVER_LINES.unsealed));
  });
});

describe('national ids', () => {
  test('are masked in the application line that carries one URL-encoded, in the line and in what was decoded', () => {
    const { logClass, event } = filtered(loanService(LOAN_SERVICE_LINES.listQueryIncoming));
    expect(logClass).toBe('application');
    expect(event.message).toBe(LOAN_SERVICE_LINES.listQueryIncoming.replace('123456%2F78%2F1', NATIONAL_ID_MASK));
    expect((event.json as { req: { url: string } }).req.url).toBe('/v1/applications?applicant=******/**/*&limit=20');
    expect(event.message).not.toContain('123456');
  });

  test('are kept in audit lines, which must show the record as it was', () => {
    const { logClass, event } = filtered(loanService(LOAN_SERVICE_LINES.audit));
    expect(logClass).toBe('audit');
    expect(event.message).toBe(LOAN_SERVICE_LINES.audit);
    expect((event.json as { before: { applicantNationalId: string } }).before.applicantNationalId).toBe('123456/78/1');
  });

  test('are masked in a system line too, and lines without one are untouched', () => {
    const line = 'validation failed for applicant 987654/32/1 at 2026-11-26';
    expect(filtered(containerEvent('lms-data', 'sql-0', 'mssql', line)).event.message).toBe('validation failed for applicant ******/**/* at 2026-11-26');
    expect(filtered(loanService(LOAN_SERVICE_LINES.requestCompleted)).event).toEqual({ ...loanService(LOAN_SERVICE_LINES.requestCompleted), json: JSON.parse(LOAN_SERVICE_LINES.requestCompleted) });
  });

  test.each([
    ['123456/78/1', '******/**/*'],
    ['id 123456%2f78%2F1.', 'id ******/**/*.'],
    ['a: 111111/11/1, b: 222222/22/2', 'a: ******/**/*, b: ******/**/*'],
    ['1234567/78/1 is one digit too long', '1234567/78/1 is one digit too long'],
    ['123456/78/12 is one digit too long', '123456/78/12 is one digit too long'],
    ['2026/11/26 is a date', '2026/11/26 is a date'],
  ])('%j masks to %j', (text, masked) => {
    expect(maskNationalIds(text)).toBe(masked);
  });
});

describe('the rules as Logstash conditionals', () => {
  test('each rule renders to the conditional the pipeline carries', () => {
    expect(CLASSIFICATION_RULES.map((rule) => [rule.logClass, rule.when.render()])).toEqual([
      ['audit', '(([kubernetes][namespace] == "lms-security") and ([kubernetes][container][name] == "vault")) and ([json][type] in ["request", "response"]) and ([json][request])'],
      ['audit', '(([kubernetes][namespace] == "lms-apps") and ([kubernetes][container][name] == "loan-service")) and ([json][audit])'],
      ['security', '([kubernetes][namespace] == "lms-security") and ([kubernetes][container][name] == "vault")'],
      ['security', '(([kubernetes][namespace] == "lms-platform") and ([kubernetes][container][name] == "traefik")) and ([json][DownstreamStatus] in [401, 403])'],
      ['application', '([kubernetes][namespace] == "lms-apps") and ([kubernetes][container][name] == "loan-service")'],
    ]);
  });

  test('conditions render and evaluate alike: any, not, equals with a number, present with null and false', () => {
    const condition = LogCondition.any(LogCondition.not(LogCondition.present(['a'])), LogCondition.equals(['b', 'c'], 7));
    expect(condition.render()).toBe('(!([a])) or ([b][c] == 7)');
    expect([{}, { a: null }, { a: false }, { a: 0 }, { a: 'x', b: { c: 7 } }, { a: 'x', b: { c: '7' } }, { a: 'x', b: 7 }].map((event) => condition.matches(event))).toEqual([true, true, true, false, true, false, false]);
  });

  test('refuses conditions Logstash could not read, naming the value', () => {
    expect(() => LogCondition.equals(['kubernetes', 'name space'], 'x')).toThrow('LogCondition.equals: field name: "name space" is not allowed (allowed: letters, digits, "_", "@", "." and "-" (no brackets, quotes or spaces))');
    expect(() => LogCondition.equals(['a]['], 'x')).toThrow('LogCondition.equals: field name: "a][" is not allowed');
    expect(() => LogCondition.oneOf(['a'], [])).toThrow('LogCondition.oneOf: values: [] is not allowed (allowed: at least one string or number)');
    expect(() => LogCondition.equals(['a'], 1.5)).toThrow('LogCondition.equals: Logstash number: 1.5 is not allowed (allowed: a whole number)');
    expect(() => LogCondition.all(LogCondition.present(['a']))).toThrow('LogCondition.all: conditions: 1 is not allowed (allowed: two or more LogConditions)');
  });
});
