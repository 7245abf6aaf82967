import { ELASTICSEARCH_SNAPSHOT_CREDENTIALS_SECRET, elasticsearchSnapshotUser, type ElasticsearchSetup } from '../../constructs/elasticsearch-setup';
import { Duration } from '../../constructs/duration';
import { userPolicy } from '../../constructs/object-store-users';
import { PlatformError } from '../../constructs/platform-error';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { elasticsearchSetupFixture, elasticsearchSetupFixtureProps } from '../support/elasticsearch-setup';
import { environmentNamed } from '../support/environments';
import { validateKubeObject } from '../support/kube-schema';

const REGISTRY = 'registry.lms.co.zm';
const WHERE = 'ElasticsearchSetup test-lusaka-observability/elasticsearch-setup';
const JOB_PODS = { 'app.kubernetes.io/name': 'elasticsearch-setup', 'app.kubernetes.io/component': 'logging' };

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return (error as Error).message;
  }
  throw new Error('expected a PlatformError');
}

const objectNamed = (component: ElasticsearchSetup, kind: string, name: string) => component.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;

describe('ElasticsearchSetup', () => {
  const component = elasticsearchSetupFixture();
  const job = component.objects.find((o) => o.kind === 'Job') as any;
  const pod = job.spec.template;

  test('renders its objects in the observability namespace, each valid against the Kubernetes schema', () => {
    expect(component.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/lms-observability/elasticsearch-setup',
      'Secret/lms-observability/elasticsearch-snapshot-credentials',
      'Role/lms-observability/elasticsearch-setup',
      'RoleBinding/lms-observability/elasticsearch-setup',
      'ConfigMap/lms-observability/elasticsearch-setup',
      `Job/lms-observability/${component.jobName}`,
      'CronJob/lms-observability/elasticsearch-setup',
      'NetworkPolicy/lms-observability/elasticsearch-setup',
    ]);
    for (const object of component.objects) validateKubeObject(object);
    expect(component.jobName).toMatch(/^elasticsearch-setup-[0-9a-f]{10}$/);
  });

  test('the ConfigMap holds every request body, the Job and the CronJob the same pod', () => {
    expect(objectNamed(component, 'ConfigMap', 'elasticsearch-setup').data).toEqual(Object.fromEntries(component.requests.map((request) => [request.file, `${JSON.stringify(request.body, null, 2)}\n`])));
    expect(objectNamed(component, 'CronJob', 'elasticsearch-setup').spec).toEqual({
      schedule: '23 * * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: JOB_PODS }, spec: job.spec },
    });
    expect({ backoffLimit: job.spec.backoffLimit, activeDeadlineSeconds: job.spec.activeDeadlineSeconds }).toEqual({ backoffLimit: 6, activeDeadlineSeconds: 2400 });
  });

  test('a changed setting is a new Job, run at that apply', () => {
    const logging = environmentNamed('production').logging;
    const longerAudit = elasticsearchSetupFixture({ settings: { ...logging, retention: { ...logging.retention, audit: Duration.days(2555) } } });
    expect(longerAudit.jobName).not.toBe(component.jobName);
    expect(elasticsearchSetupFixture().jobName).toBe(component.jobName);
  });

  test('runs sh and curl in the pinned Elasticsearch image as a high user of its own, restricted, with ECK\'s CA and its own token', () => {
    const container = pod.spec.containers[0];
    const image = VERSIONS.images.elasticsearch;
    expect(container.image).toBe(`${REGISTRY}/${image.repository}:${image.tag}@${image.digest}`);
    expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.volumes.find((volume: any) => volume.name === 'elasticsearch-ca').secret).toEqual({ secretName: 'logs-es-http-certs-public', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 });
    expect(pod.spec.volumes.find((volume: any) => volume.name === 'kubernetes-api').projected.sources).toEqual([
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ]);
    expect(container.env.find((entry: any) => entry.name === 'ES_URL').value).toBe('https://logs-es-http.lms-observability.svc:9200');
    expect(checkPolicies(component.objects, { approvedRegistries: [REGISTRY] }).findings).toEqual([]);
  });

  test('the Vault agent renders the snapshot user\'s keys, base64, once before the script', () => {
    const annotations = pod.metadata.annotations;
    expect(annotations['vault.hashicorp.com/role']).toBe('elasticsearch-setup');
    expect(annotations['vault.hashicorp.com/agent-pre-populate-only']).toBe('true');
    expect(annotations['vault.hashicorp.com/agent-inject-secret-snapshot-keys.env']).toBe('kv/data/test/object-store/elasticsearch-snapshots');
    expect(annotations['vault.hashicorp.com/agent-inject-template-snapshot-keys.env']).toBe(
      [
        '{{- with secret "kv/data/test/object-store/elasticsearch-snapshots" -}}',
        "ACCESS_KEY_B64='{{ .Data.data.access_key_id | base64Encode }}'",
        "SECRET_KEY_B64='{{ .Data.data.secret_access_key | base64Encode }}'",
        '{{- end }}',
      ].join('\n'),
    );
    expect(component.vaultConsumers.map((consumer) => ({ role: consumer.role, namespace: consumer.namespace, secrets: consumer.secrets.map(String) }))).toEqual([
      { role: 'elasticsearch-setup', namespace: 'lms-observability', secrets: ['kv/test/object-store/elasticsearch-snapshots'] },
    ]);
  });

  test('the Secret for secureSettings exists without data, and the Role lets the setup only read and patch it', () => {
    const secret = objectNamed(component, 'Secret', ELASTICSEARCH_SNAPSHOT_CREDENTIALS_SECRET);
    expect({ type: secret.type, data: secret.data, stringData: secret.stringData }).toEqual({ type: 'Opaque', data: undefined, stringData: undefined });
    expect(component.secureSettingsSecret).toBe('elasticsearch-snapshot-credentials');
    expect(objectNamed(component, 'Role', 'elasticsearch-setup').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['elasticsearch-snapshot-credentials'], verbs: ['get', 'patch'] }]);
    expect(objectNamed(component, 'RoleBinding', 'elasticsearch-setup').subjects).toEqual([{ kind: 'ServiceAccount', name: 'elasticsearch-setup', namespace: 'lms-observability' }]);
  });

  test('the NetworkPolicy: Elasticsearch\'s HTTP port, Vault, the API server and DNS only; nothing in', () => {
    const spec = objectNamed(component, 'NetworkPolicy', 'elasticsearch-setup').spec;
    expect(spec.ingress).toEqual([]);
    expect(spec.egress.slice(0, 3)).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-observability' } }, podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } } }], ports: [{ protocol: 'TCP', port: 9200 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-security' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vault' } } }], ports: [{ protocol: 'TCP', port: 8200 }] },
      { to: [{ ipBlock: { cidr: '10.10.0.0/24' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
    ]);
    expect(spec.egress).toHaveLength(4);
  });

  test('exposes the nodes\' S3 client settings, the object store CA Secret and its pods\' budget', () => {
    expect(component.snapshotClientSettings).toEqual({
      's3.client.default.endpoint': 'https://minio.lms-data.svc.cluster.local:9000',
      's3.client.default.protocol': 'https',
      's3.client.default.path_style_access': true,
      's3.client.default.region': 'zm-lusaka-1',
    });
    expect(component.objectStoreCaSecret).toBe('object-store-trust');
    expect(component.podBudget).toEqual({ what: 'the Elasticsearch setup job', pods: 2, perPod: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '128Mi' } });
  });

  test('the snapshot user writes only under its own site\'s prefix and reads the bucket', () => {
    const user = elasticsearchSnapshotUser('production', 'kitwe');
    expect({ name: user.name, secret: user.credentials.toString() }).toEqual({ name: 'elasticsearch-snapshots', secret: 'kv/production/object-store/elasticsearch-snapshots' });
    expect(userPolicy(user)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: ['arn:aws:s3:::es-snapshots'], Condition: { StringLike: { 's3:prefix': ['kitwe/*'] } } },
        { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: ['arn:aws:s3:::es-snapshots/kitwe/*'] },
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: ['arn:aws:s3:::es-snapshots'] },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::es-snapshots/*'] },
      ],
    });
  });

  describe('refuses', () => {
    test('a snapshot user that cannot write under this site\'s prefix', () => {
      const kitweUser = elasticsearchSnapshotUser('test', 'kitwe');
      expect(errorOf(() => elasticsearchSetupFixture({ snapshotUser: kitweUser }))).toBe(
        `${WHERE}: snapshotUser.grants: "read-write es-snapshots/kitwe/, read es-snapshots/" is not allowed (allowed: a "read-write" grant on bucket "es-snapshots" under prefix "lusaka/", where this site's repository writes (elasticsearchSnapshotUser))`,
      );
    });

    test('an environment name that is no DNS label', () => {
      expect(errorOf(() => elasticsearchSetupFixture({ environmentName: 'Production' }))).toBe(`${WHERE}: environmentName: "Production" is not allowed (allowed: a lower-case environment name, e.g. "production")`);
    });

    test('this site as the other site', () => {
      expect(errorOf(() => elasticsearchSetupFixture({ otherSiteName: 'lusaka' }))).toBe(`${WHERE}: otherSiteName: "lusaka" is not allowed (allowed: the environment's other site, a lower-case name other than "lusaka")`);
    });

    test('an Elasticsearch name that is no DNS label', () => {
      expect(errorOf(() => elasticsearchSetupFixture({ elasticsearchName: 'Logs' }))).toBe(`${WHERE}: elasticsearchName: "Logs" is not allowed (allowed: the Elasticsearch resource's name, a lower-case DNS label such as "logs")`);
    });

    test('a Vault address that is not https', () => {
      const vault = { ...elasticsearchSetupFixtureProps().vault, address: 'http://vault.lms-security.svc.cluster.local:8200' };
      expect(errorOf(() => elasticsearchSetupFixture({ vault }))).toBe(`${WHERE}: vault.address: "http://vault.lms-security.svc.cluster.local:8200" is not allowed (allowed: an https:// URL; the agent fetches the snapshot keys from it)`);
    });

    test('a snapshot schedule more frequent than Elasticsearch allows, naming the setting', () => {
      const logging = environmentNamed('production').logging;
      expect(errorOf(() => elasticsearchSetupFixture({ settings: { ...logging, snapshots: { ...logging.snapshots, schedule: '*/10 * * * *' } } }))).toBe(
        `${WHERE}: settings: snapshots.schedule: "*/10 * * * *" runs as often as every 10m (allowed: at most every 15m, Elasticsearch's slm.minimum_interval)`,
      );
    });

    test('a repair schedule that is no cron schedule', () => {
      expect(errorOf(() => elasticsearchSetupFixture({ repairSchedule: 'hourly' }))).toBe(
        `${WHERE}: repairSchedule: "hourly" is not a cron schedule (allowed: five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, each within its range, e.g. "0 * * * *")`,
      );
    });
  });
});
