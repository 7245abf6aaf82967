import { Testing, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  QUANTITY_FIELDS,
  SERVER_OMITTED_FIELDS,
  TYPE_LOCATIONS,
  apiGroupOf,
  apiServerNormalForm,
  canonicalQuantity,
  type RenderedObject,
} from '../../constructs/api-server-normal-form';
import { KubernetesObjects } from '../../stacks/kubernetes-objects';

const priorityClass = (globalDefault: boolean): RenderedObject => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name: 'lms-apps' },
  value: 1000,
  globalDefault,
});

const deployment = (spec: Record<string, unknown>, podSpec: Record<string, unknown> = {}): RenderedObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'loan-service', namespace: 'lms-apps' },
  spec: { ...spec, template: { spec: { containers: [{ name: 'loan-service', image: 'registry.lms.co.zm/lms/loan-service:0.1.0' }], ...podSpec } } },
});

/** Sets `value` at `path` in a fresh object, creating one-element lists for `*`. */
function objectWith(path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  return head === '*' ? [objectWith(rest, value)] : { [head]: objectWith(rest, value) };
}

describe('apiServerNormalForm', () => {
  test('PriorityClass.globalDefault: false is dropped, true is kept', () => {
    expect(apiServerNormalForm(priorityClass(false))).toEqual({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'lms-apps' }, value: 1000 });
    expect(apiServerNormalForm(priorityClass(true))).toEqual(priorityClass(true));
  });

  test('DeploymentSpec.minReadySeconds: 0 is dropped, 10 is kept', () => {
    expect((apiServerNormalForm(deployment({ minReadySeconds: 0, replicas: 0 })) as any).spec).toEqual({
      // replicas is a pointer (*int32): the server keeps 0
      replicas: 0,
      template: { spec: { containers: [{ name: 'loan-service', image: 'registry.lms.co.zm/lms/loan-service:0.1.0' }] } },
    });
    expect((apiServerNormalForm(deployment({ minReadySeconds: 10 })) as any).spec.minReadySeconds).toBe(10);
  });

  test('PodSpec.hostNetwork, hostPID and hostIPC: false is dropped from the pod template, true is kept', () => {
    const dropped = apiServerNormalForm(deployment({}, { hostNetwork: false, hostPID: false, hostIPC: false })) as any;
    expect(Object.keys(dropped.spec.template.spec)).toEqual(['containers']);
    const kept = apiServerNormalForm(deployment({}, { hostNetwork: true, hostPID: true, hostIPC: true })) as any;
    expect(kept.spec.template.spec).toMatchObject({ hostNetwork: true, hostPID: true, hostIPC: true });
  });

  test('PodSpec.hostNetwork: false is dropped from a CronJob pod template and a Pod', () => {
    const cronJob: RenderedObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: { spec: { hostNetwork: false, restartPolicy: 'Never' } } } } },
    };
    expect((apiServerNormalForm(cronJob) as any).spec.jobTemplate.spec.template.spec).toEqual({ restartPolicy: 'Never' });
    const pod: RenderedObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { hostNetwork: false, restartPolicy: 'Never' } };
    expect((apiServerNormalForm(pod) as any).spec).toEqual({ restartPolicy: 'Never' });
  });

  test('Service.spec.externalIPs: [] is dropped, a listed address is kept', () => {
    const service = (externalIPs: string[]): RenderedObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'loan-service' },
      spec: { externalIPs, type: 'ClusterIP' },
    });
    expect((apiServerNormalForm(service([])) as any).spec).toEqual({ type: 'ClusterIP' });
    expect((apiServerNormalForm(service(['10.0.0.1'])) as any).spec.externalIPs).toEqual(['10.0.0.1']);
  });

  test('empty lists are dropped at any depth of a built-in kind, including inside list elements', () => {
    const policy: RenderedObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [], ports: [{ port: 8080 }] }], egress: [] },
    };
    expect((apiServerNormalForm(policy) as any).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }] });
  });

  test('Container.stdin, stdinOnce, tty and ContainerPort.hostPort zeros are dropped in init and app containers', () => {
    const rendered = deployment({}, {
      initContainers: [{ name: 'init', stdin: false, stdinOnce: false, tty: false }],
      containers: [{ name: 'app', tty: false, ports: [{ containerPort: 8080, hostPort: 0 }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp', readOnly: false }] }],
    });
    expect((apiServerNormalForm(rendered) as any).spec.template.spec).toEqual({
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'app', ports: [{ containerPort: 8080 }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }],
    });
  });

  test('Service.spec.publishNotReadyAddresses: false is dropped', () => {
    const service: RenderedObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sql-server' }, spec: { publishNotReadyAddresses: false, clusterIP: 'None' } };
    expect((apiServerNormalForm(service) as any).spec).toEqual({ clusterIP: 'None' });
  });

  test('pointer fields keep their zero value: setHostnameAsFQDN, privileged, maxUnavailable', () => {
    const rendered = deployment(
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
      { setHostnameAsFQDN: false, containers: [{ name: 'app', securityContext: { privileged: false, allowPrivilegeEscalation: false } }] },
    );
    expect(apiServerNormalForm(rendered)).toEqual(rendered);
  });

  test('custom resources are stored as written: empty lists and false stay', () => {
    const serviceMonitor: RenderedObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'loan-service' },
      spec: { endpoints: [], selector: { matchLabels: {} }, attachMetadata: { node: false } },
    };
    expect(apiServerNormalForm(serviceMonitor)).toEqual(serviceMonitor);
    const gatewayRoute: RenderedObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'loan-service' }, spec: { hostnames: [] } };
    expect(apiServerNormalForm(gatewayRoute)).toEqual(gatewayRoute);
  });

  test('leaves its input as it was', () => {
    const rendered = deployment({ minReadySeconds: 0 }, { hostNetwork: false, volumes: [] });
    const before = JSON.parse(JSON.stringify(rendered));
    apiServerNormalForm(rendered);
    expect(rendered).toEqual(before);
  });

  test('apiGroupOf: core is the empty group', () => {
    expect(apiGroupOf('v1')).toBe('');
    expect(apiGroupOf('scheduling.k8s.io/v1')).toBe('scheduling.k8s.io');
  });

  // Every row of the table, at every location of its type: the zero is dropped, another value kept.
  const rows = SERVER_OMITTED_FIELDS.flatMap((row) =>
    (TYPE_LOCATIONS[row.type] as ReadonlyArray<readonly [string, readonly string[]]>).map(([kind, path]) => ({ ...row, kind, path, where: [...path, row.field].join('.') })),
  );
  test.each(rows)('$kind $where: $zero is dropped, another value kept', ({ kind, path, field, zero }) => {
    const [group, kindName] = kind.split('/');
    const apiVersion = group === 'v1' ? 'v1' : `${group}/v1`;
    const other = zero === false ? true : 7;
    const at = (value: unknown) => ({ apiVersion, kind: kindName, ...(objectWith([...path, field], value) as object), marker: 'kept' });
    expect(apiServerNormalForm(at(zero))).toEqual({ apiVersion, kind: kindName, ...(objectWith(path, {}) as object), marker: 'kept' });
    expect(apiServerNormalForm(at(other))).toEqual(at(other));
  });

  test('container resources are written as the server returns them: 1000m as 1, 1024Mi as 1Gi', () => {
    const rendered = deployment({}, {
      containers: [{ name: 'app', resources: { limits: { cpu: '1000m', memory: '1024Mi' }, requests: { cpu: '250m', memory: '256Mi' } } }],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '65536Ki' } }],
    });
    const spec = (apiServerNormalForm(rendered) as any).spec.template.spec;
    expect(spec.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m', memory: '256Mi' } });
    expect(spec.volumes[0].emptyDir).toEqual({ sizeLimit: '64Mi' });
  });

  test('ResourceQuota and LimitRange quantities: numbers stay numbers unless their canonical form differs', () => {
    const quota: RenderedObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'namespace-quota' },
      spec: { hard: { pods: 10, 'requests.cpu': '0.5', 'requests.storage': '8Ti', services: 2000 } },
    };
    expect((apiServerNormalForm(quota) as any).spec.hard).toEqual({ pods: 10, 'requests.cpu': '500m', 'requests.storage': '8Ti', services: '2k' });
    const limits: RenderedObject = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '1000m', memory: '512Mi' }, defaultRequest: { cpu: '100m' }, max: { cpu: '4000m' } }] },
    };
    expect((apiServerNormalForm(limits) as any).spec.limits).toEqual([{ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '100m' }, max: { cpu: '4' } }]);
  });

  test('PersistentVolumeClaim and StatefulSet claim template storage requests are canonical', () => {
    const claim: RenderedObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: '2048Gi' } } } };
    expect((apiServerNormalForm(claim) as any).spec.resources.requests.storage).toBe('2Ti');
    const statefulSet: RenderedObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'sql-server' },
      spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1000G' } } } }] },
    };
    expect((apiServerNormalForm(statefulSet) as any).spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1T');
  });

  test('quantities in custom resources and outside the listed fields are left as written', () => {
    const custom: RenderedObject = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'platform' }, spec: { resources: { limits: { cpu: '1000m' } } } };
    expect(apiServerNormalForm(custom)).toEqual(custom);
    const configMap: RenderedObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { limits: '1000m' } };
    expect(apiServerNormalForm(configMap)).toEqual(configMap);
  });

  test.each([
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['100m', '100m'],
    ['0.5', '500m'],
    ['12.5', '12500m'],
    ['10', '10'],
    ['100', '100'],
    ['2000', '2k'],
    ['1000k', '1M'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['64Mi', '64Mi'],
    ['8Ti', '8Ti'],
    ['1e3', '1e3'],
    ['1000e0', '1e3'],
    ['0.0000000001', '1n'],
    ['0.000001', '1u'],
    ['0', '0'],
    ['0Mi', '0'],
    ['-1500m', '-1500m'],
  ])('canonicalQuantity(%s) is %s', (text, canonical) => {
    expect(canonicalQuantity(text)).toBe(canonical);
  });

  test.each(['', 'abc', '1.2.3', '5 Mi', '1Zi', 'Mi'])('canonicalQuantity(%j) is not a quantity', (text) => {
    expect(canonicalQuantity(text)).toBeUndefined();
  });

  const quantityRows = QUANTITY_FIELDS.flatMap((row) =>
    (TYPE_LOCATIONS[row.type] as ReadonlyArray<readonly [string, readonly string[]]>).map(([kind, path]) => ({ kind, where: [...path, ...row.path].join('.'), full: [...path, ...row.path] })),
  );
  test.each(quantityRows)('$kind $where: 1000m is written as 1', ({ kind, full }) => {
    const [group, kindName] = kind.split('/');
    const apiVersion = group === 'v1' ? 'v1' : `${group}/v1`;
    const concrete = full.map((part) => (part === '{}' ? 'cpu' : part));
    const at = (value: unknown) => ({ apiVersion, kind: kindName, ...(objectWith(concrete, value) as object) });
    expect(apiServerNormalForm(at('1000m'))).toEqual(at('1'));
  });
});

describe('KubernetesObjects applies objects in API server normal form', () => {
  test('a PriorityClass with globalDefault false is applied and rendered without it', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const provider = new KubernetesProvider(stack, 'k8s', { alias: 'lusaka' });
    const objects = new KubernetesObjects(stack, 'objects', { provider, objects: [{ ...priorityClass(false), metadata: { name: 'lms-apps' } }] });
    const [resource] = Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest as Record<string, { manifest: unknown }>);
    const expected = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'lms-apps' }, value: 1000 };
    expect(resource.manifest).toEqual(expected);
    expect(objects.objects).toEqual([expected]);
  });
});
