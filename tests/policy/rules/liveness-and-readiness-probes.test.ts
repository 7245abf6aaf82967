import { livenessAndReadinessProbes } from '../../../policy/rules/liveness-and-readiness-probes';
import { CONTEXT, REMOVED, SERVICE, compliant, nonCompliant, notApplicable, withField, workload } from '../fixtures';

const C0 = 'spec.template.spec.containers[0]';
const ALLOWED = 'a probe with one of exec, httpGet, tcpSocket, grpc';

describe('LMS-K8S-009 liveness and readiness probes', () => {
  test.each(['Deployment', 'StatefulSet', 'DaemonSet'] as const)('a compliant %s complies (its init container has no probes)', (kind) => {
    expect(livenessAndReadinessProbes([workload(kind)], CONTEXT)).toEqual([compliant(kind)]);
  });

  test.each(['Job', 'CronJob', 'ReplicaSet', 'Pod'] as const)('a %s is not applicable, probes or not', (kind) => {
    const path = kind === 'Pod' ? 'spec.containers[0].livenessProbe' : kind === 'CronJob' ? `spec.jobTemplate.${C0}.livenessProbe` : `${C0}.livenessProbe`;
    expect(livenessAndReadinessProbes([withField(workload(kind), path, REMOVED), SERVICE], CONTEXT)).toEqual([notApplicable(kind), notApplicable('Service')]);
  });

  test('a missing probe, or one without a handler, is a finding', () => {
    let object = withField(workload('StatefulSet'), `${C0}.livenessProbe`, REMOVED);
    object = withField(object, `${C0}.readinessProbe`, { periodSeconds: 5 });
    expect(livenessAndReadinessProbes([object], CONTEXT)).toEqual([
      nonCompliant('StatefulSet', `${C0}.livenessProbe`, undefined, ALLOWED),
      nonCompliant('StatefulSet', `${C0}.readinessProbe`, { periodSeconds: 5 }, ALLOWED),
    ]);
  });

  test('exec, tcpSocket and grpc handlers comply', () => {
    let object = withField(workload(), `${C0}.livenessProbe`, { exec: { command: ['true'] } });
    object = withField(object, `${C0}.readinessProbe`, { tcpSocket: { port: 8080 } });
    expect(livenessAndReadinessProbes([object], CONTEXT)).toEqual([compliant('Deployment')]);
    expect(livenessAndReadinessProbes([withField(workload(), `${C0}.readinessProbe`, { grpc: { port: 9090 } })], CONTEXT)).toEqual([compliant('Deployment')]);
  });

  test('an unreadable container list is a finding; an unreadable init container list is not this rule\'s', () => {
    expect(livenessAndReadinessProbes([withField(workload(), 'spec.template.spec.containers', REMOVED)], CONTEXT)).toEqual([
      nonCompliant('Deployment', 'spec.template.spec.containers', undefined, 'a non-empty list of containers'),
    ]);
    expect(livenessAndReadinessProbes([withField(workload(), 'spec.template.spec.initContainers', 'x')], CONTEXT)).toEqual([compliant('Deployment')]);
  });
});
