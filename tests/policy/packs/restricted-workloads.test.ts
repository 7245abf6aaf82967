import { LAYERS } from '../../../stacks/layers/order';
import { App } from 'cdk8s';
import { Testing } from 'cdktf';
import { LoanServiceChart } from '../../../charts-ts/loan-service-chart';
import { SiteBaselineChart } from '../../../charts-ts/site-baseline-chart';
import type { KubeObject } from '../../../constructs/platform-component';
import { SiteStack } from '../../../stacks/site-stack';
import { assertNoPolicyErrors, checkPolicies, formatReport } from '../../../policy/engine';
import { RESTRICTED_WORKLOADS } from '../../../policy/packs/restricted-workloads';
import { buildPlatform } from '../../../stacks/platform';
import { ENVIRONMENTS } from '../../support/environments';
import { CONTEXT, DIGEST } from '../fixtures';

const SITE_CONTEXT = { approvedRegistries: ['registry.lms.co.zm'] };

function loanServiceObjects(): KubeObject[] {
  const chart = new LoanServiceChart(new App(), 'loan-service', {
    namespace: 'lms-apps',
    image: `registry.lms.co.zm/lms/loan-service:1.4.2@${DIGEST}`,
    replicas: 3,
    maxReplicas: 8,
    resources: { cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryRequestMiB: 256, memoryLimitMiB: 512 },
    runAsUser: 10001,
    priorityClassName: 'lms-apps',
    labels: { 'app.kubernetes.io/part-of': 'lms' },
    env: { NODE_ENV: 'production' },
    vault: { address: 'https://vault.lms-security.svc.cluster.local:8200', role: 'loan-service', caSecretName: 'vault-agent-trust', secrets: [{ file: 'mssql-password', path: 'kv/data/dev/loan-service', key: 'mssql_password' }], agentResources: { cpuRequest: '25m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '128Mi' } },
    trustedCa: { secretName: 'object-store-trust', directory: '/etc/lms-ca' },
    ingressFrom: [{ namespace: 'lms-platform', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, port: 8080 }],
    egressTo: [{ namespace: 'lms-data', podLabels: { 'app.kubernetes.io/name': 'sql-server' }, port: 1433 }],
    egressToAddressBlocks: [{ addressBlocks: ['10.60.0.0/28'], port: 443 }],
    serviceMonitorLabels: { 'lms.co.zm/scrape': 'true' },
  });
  return chart.toJson() as KubeObject[];
}

function baselineObjects(): KubeObject[] {
  const quota = { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', requestsStorage: '100Gi', persistentVolumeClaims: 10, pods: 50 };
  const containerDefaults = { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' };
  const chart = new SiteBaselineChart(new App(), 'baseline', {
    namespaces: [
      { name: 'lms-apps', podSecurity: 'restricted', quota, containerDefaults },
      { name: 'lms-node-agents', podSecurity: 'privileged', podSecurityReason: 'log and metrics agents read host paths', quota, containerDefaults },
    ],
    priorityClasses: [{ name: 'lms-apps', value: 10000, description: 'Loan management services.' }],
    kubernetesVersion: '1.30',
    labels: { 'app.kubernetes.io/part-of': 'lms' },
  });
  return chart.toJson() as KubeObject[];
}

describe('restricted-workloads pack', () => {
  test('its rule ids, levels and order are pinned: suppressions and reports name rules by id', () => {
    expect(RESTRICTED_WORKLOADS.rules.map((rule) => `${rule.id} ${rule.level}`)).toEqual([
      'LMS-K8S-001 error',
      'LMS-K8S-002 error',
      'LMS-K8S-003 error',
      'LMS-K8S-004 error',
      'LMS-K8S-005 error',
      'LMS-K8S-006 error',
      'LMS-K8S-007 error',
      'LMS-K8S-008 error',
      'LMS-K8S-009 error',
      'LMS-K8S-010 error',
      'LMS-K8S-011 error',
    ]);
    expect(new Set(RESTRICTED_WORKLOADS.rules.map((rule) => rule.check)).size).toBe(RESTRICTED_WORKLOADS.rules.length);
    for (const rule of RESTRICTED_WORKLOADS.rules) {
      expect(rule.title).toMatch(/^[A-Z].{10,}[^.]$/);
      expect(rule.why).toMatch(/^[A-Za-z].{40,}\.$/);
    }
  });

  test('the loan-service chart complies: every rule judges its Deployment compliant', () => {
    const report = checkPolicies(loanServiceObjects(), SITE_CONTEXT);
    expect(report.findings).toEqual([]);
    expect(report.rules.map((rule) => [rule.id, rule.compliant])).toEqual(RESTRICTED_WORKLOADS.rules.map((rule) => [rule.id, 1]));
    expect(() => assertNoPolicyErrors('dev-lusaka-apps', report)).not.toThrow();
  });

  test("the chart's image is judged against the site context: another registry list fails it", () => {
    const report = checkPolicies(loanServiceObjects(), { approvedRegistries: ['registry.kitwe.lms.co.zm'] });
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.path}`)).toEqual(['LMS-K8S-006 spec.template.spec.containers[0].image']);
  });

  test('the site baseline complies: it has no workloads, so every rule is not applicable to every object', () => {
    const objects = baselineObjects();
    const report = checkPolicies(objects, CONTEXT);
    expect(report.findings).toEqual([]);
    expect(report.rules.every((rule) => rule.compliant === 0 && rule.notApplicable === objects.length)).toBe(true);
    expect(formatReport(report).split('\n')[0]).toBe(`policy: ${objects.length} objects, 11 rules: 0 errors, 0 warnings, 0 suppressed`);
  });

  test.each(ENVIRONMENTS.map((environment) => [environment.name, environment] as const))('%s: every stack of both sites complies with its site registry', (_name, environment) => {
    const app = Testing.app();
    buildPlatform(app, [environment]);
    const stacks = app.node.children.filter((child): child is SiteStack => child instanceof SiteStack);
    expect(stacks.map((stack) => stack.node.id)).toEqual(
      ['lusaka', 'kitwe'].flatMap((site) => LAYERS.map((layer) => `${environment.name}-${site}-${layer}`)),
    );
    for (const stack of stacks) {
      const site = environment.sites[stack.node.id.split('-')[1] as 'lusaka' | 'kitwe'];
      const objects = (stack as SiteStack).components.flatMap((c) => c.objects);
      expect(objects.length).toBeGreaterThan(0);
      const report = checkPolicies(objects, { approvedRegistries: [site.registry] });
      expect(report.findings).toEqual([]);
    }
  });
});
