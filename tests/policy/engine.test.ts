import { PlatformError } from '../../constructs/platform-error';
import { POLICY_PACKS, assertNoPolicyErrors, checkPolicies, evaluatePacks, formatFinding, formatReport } from '../../policy/engine';
import type { KubeObject, PolicyPack } from '../../policy/types';
import { CONTEXT, POD_LABELS, REMOVED, SERVICE, ownNetworkPolicy, withField, workload } from './fixtures';

/** A Deployment a hurried author might write: root user, a Docker Hub image by tag, requests without limits. */
function brokenDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'loan-service', namespace: 'lms-apps' },
    spec: {
      selector: { matchLabels: { ...POD_LABELS } },
      template: {
        metadata: { labels: { ...POD_LABELS } },
        spec: {
          securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'loan-service',
              image: 'nginx:1.27',
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              resources: { requests: { cpu: '250m', memory: '256Mi' } },
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
              readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
            },
          ],
        },
      },
    },
  };
}

const C0 = 'spec.template.spec.containers[0]';
const writableRoot = () => withField(workload('Deployment', 'app'), `${C0}.securityContext.readOnlyRootFilesystem`, false);
const REASON = 'writes its compiled templates next to the binary; the image is rebuilt to write under /tmp in release 2.1';

describe('checkPolicies and assertNoPolicyErrors', () => {
  test('a broken Deployment fails with one exact line per error, naming the stack', () => {
    const report = checkPolicies([brokenDeployment(), ownNetworkPolicy()], CONTEXT);
    expect(() => assertNoPolicyErrors('production-lusaka-apps', report)).toThrow(
      new PlatformError(
        [
          'policy check failed (6 errors; fix each, or suppress it with a reason; rules: policy/RULES.md):',
          '  production-lusaka-apps: LMS-K8S-001 Containers run as a non-root user: Deployment lms-apps/loan-service: spec.template.spec.securityContext.runAsUser: 0 (allowed: a whole number above 0 (0 is root))',
          '  production-lusaka-apps: LMS-K8S-001 Containers run as a non-root user: Deployment lms-apps/loan-service: spec.template.spec.containers[0].securityContext.runAsNonRoot: undefined (allowed: true)',
          '  production-lusaka-apps: LMS-K8S-006 Images come from the site\'s approved registry: Deployment lms-apps/loan-service: spec.template.spec.containers[0].image: "nginx:1.27" (allowed: an image from registry.lms.co.zm)',
          '  production-lusaka-apps: LMS-K8S-007 Images pinned by digest: Deployment lms-apps/loan-service: spec.template.spec.containers[0].image: "nginx:1.27" (allowed: an image pinned by digest: <image>@sha256:<64 hex digits>)',
          '  production-lusaka-apps: LMS-K8S-008 CPU and memory requests and limits, each request within its limit: Deployment lms-apps/loan-service: spec.template.spec.containers[0].resources.limits.cpu: undefined (allowed: a cpu quantity above 0, e.g. "250m" or "1")',
          '  production-lusaka-apps: LMS-K8S-008 CPU and memory requests and limits, each request within its limit: Deployment lms-apps/loan-service: spec.template.spec.containers[0].resources.limits.memory: undefined (allowed: a memory quantity above 0, e.g. "256Mi" or "1Gi")',
        ].join('\n'),
      ),
    );
  });

  test('the report counts per rule and lists every error', () => {
    const report = checkPolicies([brokenDeployment(), ownNetworkPolicy(), SERVICE], CONTEXT);
    expect(report.objectCount).toBe(3);
    expect(report.rules.map((rule) => [rule.id, rule.compliant, rule.nonCompliant, rule.suppressed, rule.notApplicable])).toEqual([
      ['LMS-K8S-001', 0, 2, 0, 2],
      ['LMS-K8S-002', 1, 0, 0, 2],
      ['LMS-K8S-003', 1, 0, 0, 2],
      ['LMS-K8S-004', 1, 0, 0, 2],
      ['LMS-K8S-005', 1, 0, 0, 2],
      ['LMS-K8S-006', 0, 1, 0, 2],
      ['LMS-K8S-007', 0, 1, 0, 2],
      ['LMS-K8S-008', 0, 2, 0, 2],
      ['LMS-K8S-009', 1, 0, 0, 2],
      ['LMS-K8S-010', 1, 0, 0, 2],
      ['LMS-K8S-011', 0, 0, 0, 3],
    ]);
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.path}`)).toEqual([
      `LMS-K8S-001 spec.template.spec.securityContext.runAsUser`,
      `LMS-K8S-001 ${C0}.securityContext.runAsNonRoot`,
      `LMS-K8S-006 ${C0}.image`,
      `LMS-K8S-007 ${C0}.image`,
      `LMS-K8S-008 ${C0}.resources.limits.cpu`,
      `LMS-K8S-008 ${C0}.resources.limits.memory`,
    ]);
  });

  test('a compliant stack passes and its report is plain', () => {
    const report = checkPolicies([workload(), ownNetworkPolicy()], CONTEXT);
    expect(() => assertNoPolicyErrors('dev-kitwe-apps', report)).not.toThrow();
    expect(formatReport(report)).toBe(
      [
        'policy: 2 objects, 11 rules: 0 errors, 0 warnings, 0 suppressed',
        "  LMS-K8S-001 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: Containers run as a non-root user",
        '  LMS-K8S-002 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: No privilege escalation, no privileged containers',
        '  LMS-K8S-003 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: All Linux capabilities dropped',
        '  LMS-K8S-004 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: Seccomp profile RuntimeDefault or Localhost',
        '  LMS-K8S-005 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: Read-only root filesystem',
        "  LMS-K8S-006 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: Images come from the site's approved registry",
        '  LMS-K8S-007 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: Images pinned by digest',
        '  LMS-K8S-008 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: CPU and memory requests and limits, each request within its limit',
        '  LMS-K8S-009 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: Liveness and readiness probes on long-running containers',
        '  LMS-K8S-010 error   compliant 1, non-compliant 0, suppressed 0, not applicable 1: A NetworkPolicy of its own selects every workload',
        '  LMS-K8S-011 error   compliant 0, non-compliant 0, suppressed 0, not applicable 2: A PodDisruptionBudget covers every workload with more than one replica',
        '',
      ].join('\n'),
    );
  });

  test('a suppressed finding stays in the report with its reason and does not fail', () => {
    const report = checkPolicies([writableRoot(), ownNetworkPolicy()], CONTEXT, [{ ruleId: 'LMS-K8S-005', object: 'Deployment/lms-apps/app', reason: REASON }]);
    expect(report.findings).toEqual([
      {
        ruleId: 'LMS-K8S-005',
        level: 'error',
        title: 'Read-only root filesystem',
        object: { kind: 'Deployment', namespace: 'lms-apps', name: 'app' },
        path: `${C0}.securityContext.readOnlyRootFilesystem`,
        value: false,
        allowed: 'true',
        suppressedBecause: REASON,
      },
    ]);
    expect(report.rules.find((rule) => rule.id === 'LMS-K8S-005')).toMatchObject({ compliant: 0, nonCompliant: 0, suppressed: 1 });
    expect(() => assertNoPolicyErrors('dev-lusaka-apps', report)).not.toThrow();
    const text = formatReport(report);
    expect(text.split('\n')[0]).toBe('policy: 2 objects, 11 rules: 0 errors, 0 warnings, 1 suppressed');
    expect(text).toContain(
      [
        'suppressed:',
        `  LMS-K8S-005 Read-only root filesystem: Deployment lms-apps/app: ${C0}.securityContext.readOnlyRootFilesystem: false (allowed: true)`,
        `    reason: ${REASON}`,
        '',
      ].join('\n'),
    );
  });

  test('every bad suppression is reported at once, each naming its rule and object', () => {
    const objects = [writableRoot(), ownNetworkPolicy(), { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'lms-apps' } }];
    const suppressions = [
      { ruleId: 'LMS-K8S-005', object: 'Deployment/lms-apps/app', reason: REASON },
      { ruleId: 'LMS-K8S-005', object: 'Deployment/lms-apps/app', reason: 'again' },
      { ruleId: 'LMS-K8S-005', object: 'Deployment/lms-apps/app', reason: '  ' },
      { ruleId: 'LMS-K8S-099', object: 'Deployment/lms-apps/app', reason: 'no such rule' },
      { ruleId: 'LMS-K8S-001', object: 'Deployment/lms-apps/ledger', reason: 'no such object' },
      { ruleId: 'LMS-K8S-001', object: 'PriorityClass/lms-apps', reason: 'cluster-scoped objects have an empty namespace' },
      { ruleId: 'LMS-K8S-001', object: 'PriorityClass//lms-apps', reason: 'not a workload, nothing to suppress' },
      { ruleId: 'LMS-K8S-002', object: 'Deployment/lms-apps/app', reason: 'the Deployment complies' },
    ];
    expect(() => checkPolicies(objects, CONTEXT, suppressions)).toThrow(
      new PlatformError(
        [
          'invalid policy suppressions (7 problems):',
          '  policy suppression LMS-K8S-005 Deployment/lms-apps/app: is listed twice (allowed: one suppression per rule and object)',
          '  policy suppression LMS-K8S-005 Deployment/lms-apps/app: reason: "  " is not allowed (allowed: a non-empty reason why the finding is accepted)',
          '  policy suppression LMS-K8S-099 Deployment/lms-apps/app: ruleId: "LMS-K8S-099" is not a policy rule (allowed: LMS-K8S-001, LMS-K8S-002, LMS-K8S-003, LMS-K8S-004, LMS-K8S-005, LMS-K8S-006, LMS-K8S-007, LMS-K8S-008, LMS-K8S-009, LMS-K8S-010, LMS-K8S-011)',
          '  policy suppression LMS-K8S-001 Deployment/lms-apps/ledger: object: "Deployment/lms-apps/ledger" is not an object of this stack (allowed: Kind/namespace/name of one of its objects, the namespace empty for cluster-scoped objects)',
          '  policy suppression LMS-K8S-001 PriorityClass/lms-apps: object: "PriorityClass/lms-apps" is not an object of this stack (allowed: Kind/namespace/name of one of its objects, the namespace empty for cluster-scoped objects)',
          '  policy suppression LMS-K8S-001 PriorityClass//lms-apps: object: "PriorityClass//lms-apps" has no LMS-K8S-001 finding to suppress (allowed: an object that breaks the rule; remove a suppression once its object complies)',
          '  policy suppression LMS-K8S-002 Deployment/lms-apps/app: object: "Deployment/lms-apps/app" has no LMS-K8S-002 finding to suppress (allowed: an object that breaks the rule; remove a suppression once its object complies)',
        ].join('\n'),
      ),
    );
  });

  test('a missing reason is an error too', () => {
    const suppression = { ruleId: 'LMS-K8S-005', object: 'Deployment/lms-apps/app' } as unknown as { ruleId: string; object: string; reason: string };
    expect(() => checkPolicies([writableRoot()], CONTEXT, [suppression])).toThrow(
      'invalid policy suppressions (1 problem):\n  policy suppression LMS-K8S-005 Deployment/lms-apps/app: reason: undefined is not allowed (allowed: a non-empty reason why the finding is accepted)',
    );
  });

  test('warnings are reported but never thrown', () => {
    const pack: PolicyPack = {
      name: 'naming',
      title: 'Naming',
      description: 'Object names.',
      rules: [
        {
          id: 'LMS-TEST-001',
          level: 'warning',
          title: 'Names start with the product',
          why: 'Operators find objects by prefix.',
          check: (objects) =>
            objects.map((object) =>
              object.metadata.name.startsWith('lms-')
                ? { status: 'compliant', object: { kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name } }
                : { status: 'non-compliant', object: { kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name }, path: 'metadata.name', value: object.metadata.name, allowed: 'a name starting with "lms-"' },
            ),
        },
      ],
    };
    const report = checkPolicies([SERVICE], CONTEXT, [], [pack]);
    expect(() => assertNoPolicyErrors('dev-lusaka-apps', report)).not.toThrow();
    expect(formatReport(report)).toBe(
      [
        'policy: 1 object, 1 rule: 0 errors, 1 warning, 0 suppressed',
        '  LMS-TEST-001 warning compliant 0, non-compliant 1, suppressed 0, not applicable 0: Names start with the product',
        'warnings:',
        '  LMS-TEST-001 Names start with the product: Service lms-apps/app: metadata.name: "app" (allowed: a name starting with "lms-")',
        '',
      ].join('\n'),
    );
  });

  test('a rule id used twice across packs is an error', () => {
    expect(() => checkPolicies([], CONTEXT, [], [...POLICY_PACKS, { ...POLICY_PACKS[0]!, name: 'copy' }])).toThrow(
      new PlatformError('policy packs: rule id "LMS-K8S-001" is used twice (allowed: each rule id once across restricted-workloads, copy)'),
    );
  });

  test('rules never change the objects they read', () => {
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const objects = deepFreeze([brokenDeployment(), withField(workload('CronJob'), `spec.jobTemplate.${C0}.resources`, REMOVED), ownNetworkPolicy()]);
    const before = JSON.stringify(objects);
    expect(checkPolicies(objects, CONTEXT).findings.length).toBe(10);
    expect(JSON.stringify(objects)).toBe(before);
  });
});

describe('evaluatePacks over any input (what the audit runs on)', () => {
  /** A pack over a list of bucket names: each must be versioned. */
  const BUCKETS: PolicyPack<readonly { name: string; versioned: boolean }[], { site: string }> = {
    name: 'buckets',
    title: 'Buckets',
    description: 'test',
    rules: [
      {
        id: 'T-001',
        level: 'info',
        title: 'Buckets are versioned',
        why: 'test',
        check: (buckets, context) =>
          buckets.map((bucket) =>
            bucket.versioned
              ? { status: 'compliant', object: { kind: 'Bucket', namespace: context.site, name: bucket.name } }
              : { status: 'non-compliant', object: { kind: 'Bucket', namespace: context.site, name: bucket.name, stack: 'dev-lusaka-data' }, path: 'versioning', value: false, allowed: 'true' },
          ),
      },
    ],
  };
  const buckets = [
    { name: 'documents', versioned: true },
    { name: 'scratch', versioned: false },
    { name: 'logs', versioned: false },
  ];
  const subjects = new Set(['Bucket/lusaka/documents', 'Bucket/lusaka/scratch', 'Bucket/lusaka/logs']);

  test('counts, keeps info findings, applies suppressions by Kind/namespace/name whatever the stack', () => {
    const report = evaluatePacks(buckets, { site: 'lusaka' }, [BUCKETS], [{ ruleId: 'T-001', object: 'Bucket/lusaka/logs', reason: 'logs are rewritten every hour' }], subjects);
    expect(report.objectCount).toBe(3);
    expect(report.rules).toEqual([{ id: 'T-001', level: 'info', title: 'Buckets are versioned', compliant: 1, nonCompliant: 1, suppressed: 1, notApplicable: 0 }]);
    expect(report.findings.map((finding) => [finding.object.name, finding.object.stack, finding.suppressedBecause])).toEqual([
      ['scratch', 'dev-lusaka-data', undefined],
      ['logs', 'dev-lusaka-data', 'logs are rewritten every hour'],
    ]);
    expect(() => assertNoPolicyErrors('dev-lusaka-data', report)).not.toThrow();
    expect(formatFinding(report.findings[0]!)).toBe('T-001 Buckets are versioned: dev-lusaka-data: Bucket lusaka/scratch: versioning: false (allowed: true)');
  });

  test('a suppression naming no subject is an error', () => {
    expect(() => evaluatePacks(buckets, { site: 'lusaka' }, [BUCKETS], [{ ruleId: 'T-001', object: 'Bucket/kitwe/logs', reason: 'x' }], subjects)).toThrow(
      'policy suppression T-001 Bucket/kitwe/logs: object: "Bucket/kitwe/logs" is not an object of this stack',
    );
  });
});
