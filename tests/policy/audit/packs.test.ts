import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_PACKS, AUDIT_RUN_PACKS, auditEnvironment } from '../../../policy/audit/audit';
import type { AuditContext } from '../../../policy/audit/facts';
import type { EnvironmentPlan, PlanObject } from '../../../policy/audit/plan';
import { AUDIT_SUPPRESSIONS } from '../../../policy/audit/suppressions';
import { RESTRICTED_WORKLOADS } from '../../../policy/packs/restricted-workloads';
import { VERSIONS } from '../../../constructs/versions';
import type { KubeObject, RuleResult } from '../../../policy/types';
import { plansIn, synthesizeInto } from '../../support/synthesized-plan';

/** Every pinned image as if its digest had been recorded from the registry: the stand-ins are LMS-SOV-008's non-compliant case. */
const RECORDED = Object.fromEntries(Object.values(VERSIONS.images).map((image) => [`${image.repository}@${image.digest}`, { upstream: image.upstream, digestSource: 'registry' }]));
const PRODUCTION: AuditContext = { approvedRegistries: ['registry.lms.co.zm'], approvedDomains: ['lms.co.zm'], tier: 'production', recoveryPointMinutes: 60, recoveryTimeMinutes: 240, imageProvenance: RECORDED };

let folder: string;
let production: EnvironmentPlan;

beforeAll(() => {
  folder = synthesizeInto('production');
  production = plansIn(path.join(folder, 'cdktf.out')).get('production')!;
});

afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/** A deep copy of the production plan, changed by `breakIt`. */
function broken(breakIt: (plan: Mutable) => void): EnvironmentPlan {
  const copy = structuredClone(production) as unknown as Mutable;
  breakIt(copy);
  return copy as unknown as EnvironmentPlan;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = any;

function stack(plan: Mutable, name: string): Mutable {
  const found = plan.stacks.find((candidate: { name: string }) => candidate.name === name);
  if (!found) throw new Error(`no stack ${name}`);
  return found;
}

function object(plan: Mutable, stackName: string, kind: string, name: string, namespace?: string): Mutable {
  const found = stack(plan, stackName).objects.find(({ object: candidate }: PlanObject) => candidate.kind === kind && candidate.metadata.name === name && (namespace === undefined || candidate.metadata.namespace === namespace));
  if (!found) throw new Error(`no ${kind} ${name} in ${stackName}`);
  return found.object;
}

function removeObject(plan: Mutable, stackName: string, kind: string, name: string, namespace?: string): void {
  const target = stack(plan, stackName);
  target.objects = target.objects.filter(({ object: candidate }: PlanObject) => !(candidate.kind === kind && candidate.metadata.name === name && (namespace === undefined || candidate.metadata.namespace === namespace)));
}

function release(plan: Mutable, stackName: string, name: string): Mutable {
  return stack(plan, stackName).releases.find((candidate: { name: string }) => candidate.name === name);
}

const loanService = (plan: Mutable): KubeObject & Mutable => object(plan, 'production-lusaka-apps', 'Deployment', 'loan-service');

function resultsOf(ruleId: string, plan: EnvironmentPlan, context: AuditContext = PRODUCTION): readonly RuleResult[] {
  const rule = AUDIT_RUN_PACKS.flatMap((pack) => pack.rules).find((candidate) => candidate.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(plan, context);
}

const nonCompliant = (results: readonly RuleResult[]) => results.filter((result) => result.status === 'non-compliant');

/** Each rule: how to break the synthesized production plan, and what the finding then says. */
const CASES: readonly { id: string; breakIt: (plan: Mutable) => void; expected: Record<string, unknown>; context?: Partial<AuditContext> }[] = [
  { id: 'LMS-SOV-001', breakIt: (plan) => (loanService(plan).spec.template.spec.containers[0].image = 'docker.io/library/nginx:1.27'), expected: { value: 'docker.io/library/nginx:1.27', path: 'spec.template.spec.containers[0].image' } },
  { id: 'LMS-SOV-001', breakIt: (plan) => (release(plan, 'production-lusaka-observability', 'monitoring').values.grafana.image.registry = 'docker.io'), expected: { path: 'values.grafana.image' } },
  { id: 'LMS-SOV-002', breakIt: (plan) => (loanService(plan).spec.template.spec.containers[0].image = 'registry.lms.co.zm/lms/loan-service:latest'), expected: { value: 'registry.lms.co.zm/lms/loan-service:latest' } },
  { id: 'LMS-SOV-002', breakIt: (plan) => delete release(plan, 'production-lusaka-observability', 'monitoring').values.grafana.image.sha, expected: { value: 'registry.lms.co.zm/grafana/grafana:13.2.0' } },
  { id: 'LMS-SOV-003', breakIt: (plan) => (release(plan, 'production-lusaka-security', 'vault').repository = 'https://helm.releases.hashicorp.com'), expected: { path: 'repository', value: 'https://helm.releases.hashicorp.com' } },
  { id: 'LMS-SOV-004', breakIt: (plan) => loanService(plan).spec.template.spec.containers[0].env.push({ name: 'EXPORT_URL', value: 'https://storage.googleapis.com/lms-export' }), expected: { value: 'https://storage.googleapis.com' } },
  { id: 'LMS-SOV-005', breakIt: (plan) => (stack(plan, 'production-lusaka-data').resourceTypes = { ...stack(plan, 'production-lusaka-data').resourceTypes, aws_s3_bucket: 1 }), expected: { path: 'resource.aws_s3_bucket' } },
  { id: 'LMS-SOV-006', breakIt: (plan) => (stack(plan, 'production-lusaka-data').backend.config.endpoints.s3 = 'https://state.prod.kitwe.lms.co.zm'), expected: { value: 'https://state.prod.kitwe.lms.co.zm' } },
  {
    id: 'LMS-SOV-007',
    breakIt: (plan) => {
      const config = object(plan, 'production-lusaka-data', 'CronJob', 'object-store-replication');
      const container = config.spec.jobTemplate.spec.template.spec.containers[0];
      container.args = (container.args ?? []).concat(['https://$REMOTE_USERINFO@minio.example.com:9000']);
    },
    expected: { value: 'https://$REMOTE_USERINFO@minio.example.com' },
  },
  {
    id: 'LMS-SOV-008',
    breakIt: () => undefined,
    context: { imageProvenance: { ...RECORDED, [`${VERSIONS.images.loanService.repository}@${VERSIONS.images.loanService.digest}`]: { upstream: 'app-services/loan-service', digestSource: 'stand-in' } } },
    expected: { path: 'spec.template.spec.containers[0].image', value: `registry.lms.co.zm/lms/loan-service:${VERSIONS.images.loanService.tag}@${VERSIONS.images.loanService.digest} (stand-in digest; upstream app-services/loan-service)` },
  },
  { id: 'LMS-SOV-008', breakIt: () => undefined, context: { imageProvenance: {} }, expected: { value: 'not pinned in constructs/versions.ts' } },
  { id: 'LMS-SEC-001', breakIt: (plan) => loanService(plan).spec.template.spec.containers[0].env.push({ name: 'DB_PASSWORD', value: 'hunter2' }), expected: { value: 'DB_PASSWORD=<literal>' } },
  { id: 'LMS-SEC-001', breakIt: (plan) => (object(plan, 'production-lusaka-observability', 'Secret', 'elasticsearch-snapshot-credentials').data = { 's3.client.default.secret_key': 'c2VjcmV0' }), expected: { path: 'data', value: 's3.client.default.secret_key: <value>' } },
  { id: 'LMS-SEC-001', breakIt: (plan) => (release(plan, 'production-lusaka-observability', 'monitoring').values.grafana.adminPassword = 'admin'), expected: { path: 'values.grafana.adminPassword' } },
  { id: 'LMS-SEC-002', breakIt: (plan) => (object(plan, 'production-lusaka-base', 'Namespace', 'lms-apps').metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'), expected: { value: 'baseline' } },
  { id: 'LMS-SEC-003', breakIt: (plan) => removeObject(plan, 'production-lusaka-base', 'NetworkPolicy', 'default-deny', 'lms-apps'), expected: { path: 'NetworkPolicy' } },
  { id: 'LMS-SEC-004', breakIt: (plan) => (release(plan, 'production-lusaka-security', 'vault').values.global.tlsDisable = true), expected: { path: 'values.global.tlsDisable', value: true } },
  { id: 'LMS-SEC-004', breakIt: (plan) => loanService(plan).spec.template.spec.containers[0].env.push({ name: 'SQL_URL', value: 'http://sql-server.lms-data.svc:1433' }), expected: { value: 'http://sql-server.lms-data.svc' } },
  { id: 'LMS-SEC-005', breakIt: (plan) => (object(plan, 'production-lusaka-observability', 'ClusterRole', 'lms-filebeat').rules[0].verbs = ['*']), expected: { path: 'rules[0].verbs' } },
  { id: 'LMS-SEC-005', breakIt: (plan) => stack(plan, 'production-lusaka-vault-config').vaultPolicies[0].paths.push({ path: 'kv/*', capabilities: ['read'] }), expected: { value: 'kv/*' } },
  { id: 'LMS-SEC-006', breakIt: (plan) => (object(plan, 'production-lusaka-apps', 'Service', 'loan-service').spec.type = 'NodePort'), expected: { path: 'spec.type', value: 'NodePort' } },
  {
    id: 'LMS-SEC-007',
    breakIt: (plan) => {
      const config = stack(plan, 'production-lusaka-vault-config');
      config.vaultPolicies.find((policy: { name: string }) => policy.name === 'alertmanager').paths.push({ path: 'kv/data/production/loan-service', capabilities: ['read'] });
    },
    expected: { value: 'lms-apps/loan-service, lms-data/sql-server-setup, lms-observability/monitoring-alertmanager' },
  },
  { id: 'LMS-BC-001', breakIt: (plan) => (object(plan, 'production-lusaka-data', 'CronJob', 'sql-server-backup-log').spec.schedule = '0 */2 * * *'), expected: { path: 'log backup interval', value: '2 h' } },
  { id: 'LMS-BC-001', breakIt: (plan) => (object(plan, 'production-kitwe-data', 'CronJob', 'sql-server-restore').spec.schedule = '5 * * * *'), expected: { path: 'worst-case data loss', value: '1 h 20 min' } },
  { id: 'LMS-BC-002', breakIt: () => undefined, context: { recoveryTimeMinutes: 120 }, expected: { path: 'estimated recovery time', value: '2 h 37 min' } },
  { id: 'LMS-BC-002', breakIt: (plan) => delete plan.runbook, expected: { path: 'runbooks/production-failover.md', value: undefined } },
  { id: 'LMS-BC-003', breakIt: (plan) => removeObject(plan, 'production-lusaka-data', 'CronJob', 'sql-server-backup-full'), expected: { value: undefined } },
  { id: 'LMS-BC-003', breakIt: (plan) => (object(plan, 'production-lusaka-data', 'CronJob', 'sql-server-backup-full').spec.schedule = '30 1 */2 * *'), expected: { path: 'spec.schedule', value: '30 1 */2 * *' } },
  { id: 'LMS-BC-004', breakIt: (plan) => (object(plan, 'production-lusaka-data', 'ConfigMap', 'object-store-replication').data['replicated-buckets'] = 'sql-backups\n'), expected: { value: 'sql-backups', allowed: 'a list including documents' } },
  { id: 'LMS-BC-005', breakIt: (plan) => (object(plan, 'production-kitwe-data', 'CronJob', 'vault-snapshot').spec.suspend = true), expected: { value: 'suspended' } },
  { id: 'LMS-BC-006', breakIt: (plan) => (object(plan, 'production-lusaka-apps', 'HorizontalPodAutoscaler', 'loan-service').spec.minReplicas = 1), expected: { path: 'HorizontalPodAutoscaler spec.minReplicas', value: 1 } },
  { id: 'LMS-BC-006', breakIt: (plan) => removeObject(plan, 'production-lusaka-data', 'PodDisruptionBudget', 'minio-pool-0'), expected: { path: 'PodDisruptionBudget' } },
  { id: 'LMS-BC-007', breakIt: (plan) => removeObject(plan, 'production-lusaka-observability', 'PrometheusRule', 'platform'), expected: { allowed: 'an alert on lms_sql_last_backup_timestamp_seconds{kind="log"}' } },
  { id: 'LMS-OBS-001', breakIt: (plan) => removeObject(plan, 'production-kitwe-data', 'ServiceMonitor', 'minio'), expected: { path: 'ServiceMonitor' } },
  { id: 'LMS-OBS-002', breakIt: (plan) => removeObject(plan, 'production-kitwe-observability', 'PrometheusRule', 'logging'), expected: { path: 'PrometheusRule' } },
  {
    id: 'LMS-OBS-003',
    breakIt: (plan) => object(plan, 'production-lusaka-observability', 'Beat', 'filebeat').spec.config['filebeat.inputs'][0].prospector.scanner.exclude_files.push('_lms-apps_'),
    expected: { value: 'excluded' },
  },
  { id: 'LMS-K8S-001', breakIt: (plan) => (loanService(plan).spec.template.spec.securityContext.runAsNonRoot = false), expected: { value: false } },
];

describe('audit packs', () => {
  test('pin their rule ids', () => {
    expect(Object.fromEntries(AUDIT_PACKS.map((pack) => [pack.name, pack.rules.map((rule) => rule.id)]))).toEqual({
      'data-sovereignty': ['LMS-SOV-001', 'LMS-SOV-002', 'LMS-SOV-003', 'LMS-SOV-004', 'LMS-SOV-005', 'LMS-SOV-006', 'LMS-SOV-007', 'LMS-SOV-008'],
      security: ['LMS-SEC-001', 'LMS-SEC-002', 'LMS-SEC-003', 'LMS-SEC-004', 'LMS-SEC-005', 'LMS-SEC-006', 'LMS-SEC-007'],
      'business-continuity': ['LMS-BC-001', 'LMS-BC-002', 'LMS-BC-003', 'LMS-BC-004', 'LMS-BC-005', 'LMS-BC-006', 'LMS-BC-007'],
      observability: ['LMS-OBS-001', 'LMS-OBS-002', 'LMS-OBS-003'],
    });
    expect(AUDIT_RUN_PACKS.at(-1)!.rules.map((rule) => rule.id)).toEqual(RESTRICTED_WORKLOADS.rules.map((rule) => rule.id));
  });

  test('every audit rule has a test case both ways below', () => {
    expect([...new Set(CASES.map((entry) => entry.id))].filter((id) => !id.startsWith('LMS-K8S'))).toEqual(AUDIT_PACKS.flatMap((pack) => pack.rules.map((rule) => rule.id)));
  });

  test.each([...new Set(CASES.map((entry) => entry.id))])('%s: the synthesized production plan complies (apart from recorded suppressions)', (id) => {
    const results = resultsOf(id, production);
    expect(results.some((result) => result.status === 'compliant')).toBe(true);
    const suppressed = AUDIT_SUPPRESSIONS.filter((suppression) => suppression.ruleId === id && (suppression.environments === undefined || suppression.environments.includes('production')));
    const open = nonCompliant(results).filter((result) => !suppressed.some((suppression) => suppression.object === `${result.object.kind}/${result.object.namespace}/${result.object.name}`));
    // An info rule lists facts for review: the plan has some by design (shared Vault reads).
    const level = AUDIT_RUN_PACKS.flatMap((pack) => pack.rules).find((rule) => rule.id === id)!.level;
    if (level !== 'info') expect(open).toEqual([]);
  });

  test.each(CASES.map((entry, index) => [`${entry.id} #${index}`, entry] as const))('%s: a broken plan is a finding', (_name, entry) => {
    const findings = nonCompliant(resultsOf(entry.id, broken(entry.breakIt), { ...PRODUCTION, ...entry.context }));
    expect(findings).toContainEqual(expect.objectContaining(Object.fromEntries(Object.entries(entry.expected).map(([key, value]) => [key, typeof value === 'string' && key !== 'allowed' && key !== 'path' ? expect.stringContaining(value) : value]))));
  });

  test('the whole audit of production passes with its suppressions, each shown with its reason', () => {
    const audit = auditEnvironment(production, PRODUCTION, AUDIT_SUPPRESSIONS);
    expect(audit.report.findings.filter((finding) => finding.level === 'error' && finding.suppressedBecause === undefined)).toEqual([]);
    const suppressed = audit.report.findings.filter((finding) => finding.suppressedBecause !== undefined);
    expect(suppressed.map((finding) => `${finding.ruleId} ${finding.object.stack} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name}`).sort()).toEqual([
      'LMS-BC-006 production-lusaka-data StatefulSet/lms-data/sql-server',
      'LMS-SEC-006 production-kitwe-data Service/lms-data/minio-replication',
      'LMS-SEC-006 production-kitwe-traffic HelmRelease/lms-platform/traefik',
      'LMS-SEC-006 production-lusaka-data Service/lms-data/minio-replication',
      'LMS-SEC-006 production-lusaka-traffic HelmRelease/lms-platform/traefik',
    ]);
    expect(suppressed.every((finding) => (finding.suppressedBecause ?? '').length > 40)).toBe(true);
  });

  test('a suppression without a reason, or matching nothing, is an error naming it', () => {
    expect(() => auditEnvironment(production, PRODUCTION, [{ ruleId: 'LMS-SEC-006', object: 'Service/lms-data/minio-replication', reason: ' ' }])).toThrow(
      'policy suppression LMS-SEC-006 Service/lms-data/minio-replication: reason: " " is not allowed (allowed: a non-empty reason why the finding is accepted)',
    );
    expect(() => auditEnvironment(production, PRODUCTION, [...AUDIT_SUPPRESSIONS, { ruleId: 'LMS-SOV-001', object: 'Deployment/lms-apps/loan-service', reason: 'no longer needed' }])).toThrow(
      'policy suppression LMS-SOV-001 Deployment/lms-apps/loan-service: object: "Deployment/lms-apps/loan-service" has no LMS-SOV-001 finding to suppress',
    );
  });
});
