import * as zlib from 'zlib';
import type { SynthesizedRelease } from './stacks';
import { decodeReleaseSecret, fieldDifferences, keptOnUninstall, mergedValues, quantityValue, releaseObjects, releaseProblems, rolloutProblem, type ReleaseSecret, type StoredRelease } from './verify';

describe('fieldDifferences: the rendered object must be a subset of the live one', () => {
  test('extra live fields are fine; missing or different ones are named with their path', () => {
    const rendered = { metadata: { name: 'loan-service', labels: { app: 'loan' } }, spec: { ports: [{ port: 80 }], type: 'ClusterIP' } };
    const live = { metadata: { name: 'loan-service', uid: 'u1', labels: { app: 'loan', extra: 'x' } }, spec: { ports: [{ port: 80, protocol: 'TCP' }], type: 'ClusterIP', clusterIP: '10.96.0.9' } };
    expect(fieldDifferences(rendered, live)).toEqual([]);
    expect(fieldDifferences({ spec: { type: 'NodePort', externalIPs: [] } }, { spec: { type: 'ClusterIP' } })).toEqual([
      'spec.type: expected "NodePort", live "ClusterIP"',
      'spec.externalIPs: expected a list of 0, live undefined',
    ]);
    expect(fieldDifferences({ spec: { globalDefault: false } }, { spec: {} })).toEqual(['spec.globalDefault: expected false, live (absent)']);
  });

  test('lists compare element by element and by length', () => {
    expect(fieldDifferences({ a: [1, 2] }, { a: [1] })).toEqual(['a: expected 2 elements, live has 1: [1]']);
    expect(fieldDifferences({ a: [{ b: 1 }] }, { a: [{ b: 2 }] })).toEqual(['a[0].b: expected 1, live 2']);
  });

  test('quantities compare by value under resource keys only', () => {
    expect(fieldDifferences({ resources: { limits: { cpu: '1000m', memory: '1024Mi' } } }, { resources: { limits: { cpu: '1', memory: '1Gi' } } })).toEqual([]);
    expect(fieldDifferences({ spec: { hard: { pods: 10 } } }, { spec: { hard: { pods: '10' } } })).toEqual([]);
    expect(fieldDifferences({ spec: { hard: { pods: 10 } } }, { spec: { hard: { pods: '11' } } })).toEqual(['spec.hard.pods: expected 10, live "11"']);
    expect(fieldDifferences({ data: { replicas: 1 } }, { data: { replicas: '1' } })).toEqual(['data.replicas: expected 1, live "1"']);
  });

  test.each([
    ['500m', 0.5],
    ['1Gi', 2 ** 30],
    ['2k', 2000],
    [10, 10],
    ['ten', undefined],
  ])('quantityValue(%j) is %j', (value, expected) => {
    expect(quantityValue(value)).toBe(expected);
  });
});

describe('rolloutProblem', () => {
  const deployment = (status: Record<string, number>, generation = 2) => ({ kind: 'Deployment', metadata: { generation }, spec: { replicas: 3 }, status: { observedGeneration: 2, ...status } });

  test('a Deployment with every replica updated, ready and available has rolled out', () => {
    expect(rolloutProblem(deployment({ readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toBeUndefined();
  });

  test('says what is short, or that the controller has not seen the change', () => {
    expect(rolloutProblem(deployment({ readyReplicas: 1, updatedReplicas: 3, availableReplicas: 1 }))).toBe('3 replicas wanted; ready 1, available 1');
    expect(rolloutProblem(deployment({ readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 }, 3))).toBe('observedGeneration 2 < generation 3');
  });

  test('a StatefulSet also needs its current revision to be the update revision', () => {
    const statefulSet = { kind: 'StatefulSet', metadata: { generation: 1 }, spec: { replicas: 1 }, status: { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' } };
    expect(rolloutProblem(statefulSet)).toBe('currentRevision a != updateRevision b');
  });
});

describe('rolloutProblem: DaemonSets', () => {
  const daemonSet = (status: Record<string, number>) => ({ kind: 'DaemonSet', metadata: { generation: 1 }, spec: {}, status: { observedGeneration: 1, ...status } });

  test('a DaemonSet with a ready, updated, available pod on every selected node has rolled out', () => {
    expect(rolloutProblem(daemonSet({ desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3 }))).toBeUndefined();
  });

  test('says how many pods are wanted and which counts are short', () => {
    expect(rolloutProblem(daemonSet({ desiredNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 1 }))).toBe('3 pods wanted (one per selected node); ready 2, available 1');
    expect(rolloutProblem({ ...daemonSet({}), metadata: { generation: 2 } })).toBe('observedGeneration 1 < generation 2');
  });
});

/** A release Secret as the API server returns it, holding `release` the way Helm stores it. */
function releaseSecret(release: StoredRelease, status = 'deployed'): ReleaseSecret {
  const stored = zlib.gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return { metadata: { name: `sh.helm.release.v1.${release.name}.v${release.version}`, labels: { owner: 'helm', name: release.name, status, version: String(release.version) } }, data: { release: Buffer.from(stored).toString('base64') } };
}

describe('Helm releases as stored in the cluster', () => {
  const synthesized: SynthesizedRelease = {
    name: 'metallb',
    namespace: 'lms-node-agents',
    chart: 'metallb',
    version: '0.16.1',
    repository: 'https://charts.lusaka.lms.co.zm',
    values: ['speaker:\n  frr:\n    enabled: false\n  tolerations: [a]\n', 'speaker:\n  tolerations: [b]\ncontroller:\n  logLevel: info\n'],
  };
  const manifest = ['---', '# Source: metallb/templates/controller.yaml', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: metallb-controller', '---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: metallb:controller', '  annotations:', '    helm.sh/resource-policy: keep', ''].join('\n');
  const stored: StoredRelease = {
    name: 'metallb',
    namespace: 'lms-node-agents',
    version: 2,
    info: { status: 'deployed' },
    chart: { metadata: { name: 'metallb', version: '0.16.1' } },
    config: { speaker: { frr: { enabled: false }, tolerations: ['b'] }, controller: { logLevel: 'info' } },
    manifest,
  };

  test('decodeReleaseSecret reads the gzipped JSON inside the double base64', () => {
    expect(decodeReleaseSecret(releaseSecret(stored))).toEqual(stored);
    expect(() => decodeReleaseSecret({ metadata: { name: 'sh.helm.release.v1.x.v1' }, data: {} })).toThrow('Secret sh.helm.release.v1.x.v1: no data.release (not a Helm release Secret)');
  });

  test('mergedValues merges maps key by key and lets later documents replace lists and scalars', () => {
    expect(mergedValues(synthesized.values)).toEqual({ speaker: { frr: { enabled: false }, tolerations: ['b'] }, controller: { logLevel: 'info' } });
    expect(mergedValues([])).toEqual({});
    expect(() => mergedValues(['- a\n'])).toThrow('values[0]: "- a\\n" is not a YAML map');
  });

  test('a deployed release of the synthesized chart, version, namespace and values has no problem', () => {
    expect(releaseProblems(synthesized, releaseSecret(stored), stored)).toEqual([]);
  });

  test('every difference is named', () => {
    const wrong: StoredRelease = { ...stored, namespace: 'default', info: { status: 'failed' }, chart: { metadata: { name: 'metallb', version: '0.15.0' } }, config: { speaker: { frr: { enabled: true } } } };
    expect(releaseProblems(synthesized, releaseSecret(wrong, 'failed'), wrong)).toEqual([
      'Secret sh.helm.release.v1.metallb.v2: label status=failed (wanted deployed)',
      'info.status "failed" (wanted "deployed")',
      'chart metallb 0.15.0 (wanted metallb 0.16.1)',
      'namespace default (wanted lms-node-agents)',
      'values: speaker.frr.enabled: expected false, live true',
      'values: speaker.tolerations: expected a list of 1, live undefined',
      'values: controller: expected an object, live undefined',
    ]);
  });

  test('releaseObjects reads the manifest; keptOnUninstall finds objects Helm leaves behind', () => {
    const objects = releaseObjects(stored);
    expect(objects.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual(['Deployment metallb-controller', 'ClusterRole metallb:controller']);
    expect(objects.map(keptOnUninstall)).toEqual([false, true]);
  });
});
