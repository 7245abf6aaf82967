import { fieldDifferences, quantityValue, rolloutProblem } from './verify';

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
