import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { BucketReplication, REPLICATION_METRICS, replicationScript, type ReplicationSite } from '../../constructs/bucket-replication';
import { MINIO_NAME } from '../../constructs/minio-cluster';
import type { KubeObject } from '../../constructs/platform-component';
import { Duration } from '../../constructs/duration';
import { buildPlatform } from '../../stacks/platform';
import { environmentNamed } from '../support/environments';

const production = environmentNamed('production');
const sites = buildPlatform(Testing.app(), [production]);
const lusaka = sites.get('production-lusaka')!;
const kitwe = sites.get('production-kitwe')!;
const find = (objects: readonly KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name}`);
  return found as any;
};

describe('MinioCluster: distributed MinIO at each site', () => {
  const minio = lusaka.data.minio;
  const statefulSet = find(minio.objects, 'StatefulSet', 'minio-pool-0');
  const container = statefulSet.spec.template.spec.containers[0];

  test('one StatefulSet per pool, every server in the command, one volume claim per drive', () => {
    expect(statefulSet.spec.replicas).toBe(3);
    expect(statefulSet.spec.podManagementPolicy).toBe('Parallel');
    expect(container.command).toEqual([
      'minio', 'server', '--certs-dir', '/etc/minio/certs', '--address', ':9000',
      'https://minio-pool-0-{0...2}.minio-hl.lms-data.svc.cluster.local:9000/data{0...3}',
    ]);
    expect(statefulSet.spec.volumeClaimTemplates.map((claim: any) => [claim.metadata.name, claim.spec.resources.requests.storage, claim.spec.storageClassName])).toEqual([
      ['data0', '1Ti', 'ssd-standard'], ['data1', '1Ti', 'ssd-standard'], ['data2', '1Ti', 'ssd-standard'], ['data3', '1Ti', 'ssd-standard'],
    ]);
  });

  test('erasure coding from the environment, credentials only from the Vault file, no console', () => {
    const env = Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.value]));
    expect(env).toEqual({
      MINIO_CONFIG_ENV_FILE: '/vault/secrets/config.env',
      MINIO_STORAGE_CLASS_STANDARD: 'EC:4',
      MINIO_SITE_NAME: 'lusaka',
      MINIO_SITE_REGION: 'zm-lusaka-1',
      MINIO_BROWSER: 'off',
      MINIO_PROMETHEUS_AUTH_TYPE: 'public',
      MINIO_API_STALE_UPLOADS_EXPIRY: '24h',
      HOME: '/tmp',
    });
    expect(statefulSet.spec.template.metadata.annotations['vault.hashicorp.com/agent-inject-template-config.env']).toContain('export MINIO_ROOT_PASSWORD=\'{{ .Data.data.root_password }}\'');
    expect(minio.layouts[0]).toMatchObject({ setSize: 12, parity: 4, survivesOneServer: true });
  });

  test('TLS probes on the health endpoints, one server per node in production, the critical data priority', () => {
    expect(container.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 9000, scheme: 'HTTPS' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 9000, scheme: 'HTTPS' });
    expect(statefulSet.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(statefulSet.spec.template.spec.priorityClassName).toBe('lms-critical-data');
    expect(find(minio.objects, 'PodDisruptionBudget', 'minio-pool-0').spec.maxUnavailable).toBe(1);
  });

  test('the replication endpoint: a LoadBalancer on the replication pool, a certificate for its name and address', () => {
    const service = find(minio.objects, 'Service', 'minio-replication');
    expect(service.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '10.10.240.8', 'metallb.io/address-pool': 'replication' });
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(find(minio.objects, 'Certificate', 'minio-replication').spec).toMatchObject({ dnsNames: ['minio.prod.lusaka.lms.co.zm'], ipAddresses: ['10.10.240.8'], issuerRef: { name: 'lms-production-public' } });
    expect(minio.replicationUrl).toBe('https://minio.prod.lusaka.lms.co.zm:9000');
  });

  test('the typed reference consumers take', () => {
    expect(minio.endpoint).toEqual({
      url: 'https://minio.lms-data.svc.cluster.local:9000',
      region: 'zm-lusaka-1',
      peer: { namespace: 'lms-data', podLabels: { 'app.kubernetes.io/name': MINIO_NAME }, port: 9000 },
      caSecretName: 'object-store-trust',
    });
    expect(lusaka.apps.loanService.node.path).toBeTruthy();
    expect(lusaka.data.vaultSnapshots.bucket).toBe('vault-snapshots');
  });
});

describe('ObjectStoreBuckets: the buckets as data, reconciled by a Job', () => {
  test('business buckets and the state bucket, locked where they protect backups, retention from the site', () => {
    expect(lusaka.data.buckets.config).toEqual({
      site: 'lusaka',
      buckets: [
        { name: 'documents', versioning: true, objectLock: null, lifecycle: { noncurrentVersionExpirationDays: 35 } },
        { name: 'sql-backups', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } },
        { name: 'vault-snapshots', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } },
        { name: 'es-snapshots', versioning: true, objectLock: { mode: 'GOVERNANCE', days: 35 }, lifecycle: { noncurrentVersionExpirationDays: 35 } },
        { name: 'lms-terraform-state-production-lusaka', versioning: true, objectLock: null, lifecycle: { noncurrentVersionExpirationDays: 35 } },
      ],
    });
  });

  test('a Job named after its configuration, and an hourly CronJob running the same reconcile', () => {
    const buckets = lusaka.data.buckets;
    expect(buckets.jobName).toMatch(/^object-store-buckets-[0-9a-f]{10}$/);
    const job = find(buckets.objects, 'Job', buckets.jobName);
    const cron = find(buckets.objects, 'CronJob', 'object-store-buckets');
    expect(cron.spec.jobTemplate.spec).toEqual(job.spec);
    expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'dist/main.js', 'reconcile-buckets', '--config', '/etc/object-store/buckets.json']);
    expect(JSON.parse(find(buckets.objects, 'ConfigMap', 'object-store-buckets').data['buckets.json'])).toEqual(buckets.config);
  });
});

describe('BucketReplication: Lusaka to Kitwe, built in the cross-site pass', () => {
  const replication = lusaka.data.stack.node.findChild('bucket-replication') as BucketReplication;

  test('every bucket with business data replicates to the other site, and the state bucket stays at its site', () => {
    expect(replication.replicatedBuckets).toEqual(['documents', 'sql-backups', 'vault-snapshots', 'es-snapshots']);
    expect(replication.targetUrl).toBe('https://minio.prod.kitwe.lms.co.zm:9000');
    expect(replication.alertInputs).toEqual({
      heartbeatAge: { series: `${REPLICATION_METRICS.heartbeatAge}{source_site="lusaka"}`, thresholdSeconds: 300 },
      failedReplications: { series: 'minio_bucket_replication_total_failed_count' },
      bucketSize: { series: 'minio_bucket_usage_total_bytes' },
    });
  });

  test('the heartbeat writer runs at the primary, the reader at the disaster-recovery site', () => {
    const writer = find(replication.objects, 'Deployment', 'replication-heartbeat-writer');
    expect(writer.spec.template.spec.containers[0].command).toEqual(['node', 'dist/main.js', 'replication-heartbeat', '--mode', 'writer', '--config', '/etc/object-store/heartbeat.json', '--port', '9102']);
    const reader = find(replication.reader.objects, 'ConfigMap', 'replication-heartbeat-reader');
    expect(JSON.parse(reader.data['heartbeat.json'])).toEqual({ site: 'kitwe', sourceSite: 'lusaka', replicatedBuckets: ['documents', 'sql-backups', 'vault-snapshots', 'es-snapshots'], intervalSeconds: 60 });
    expect(replication.reader.node.scope).toBe(kitwe.data.stack);
  });

  test('the setup script adds each rule once, with deletes, delete markers and existing objects', () => {
    expect(replicationScript({ buckets: ['documents'], storeHost: 'minio.lms-data.svc.cluster.local:9000', targetHostPort: 'minio.prod.kitwe.lms.co.zm:9000' })).toBe(
      [
        'set -eu',
        '. /vault/secrets/replication.env',
        '. /vault/secrets/remote.env',
        'mkdir -p "$HOME/mc/certs/CAs"',
        'cp /etc/object-store-ca/ca.crt "$HOME/mc/certs/CAs/site-ca.crt"',
        'for bucket in documents; do',
        `  if mc --config-dir "$HOME/mc" replicate ls --json "source/$bucket" | grep -q '"Endpoint":"minio.prod.kitwe.lms.co.zm:9000"'; then`,
        '    echo "$bucket: replicates already"',
        '  else',
        '    mc --config-dir "$HOME/mc" replicate add "source/$bucket" --remote-bucket "https://$REMOTE_USERINFO@minio.prod.kitwe.lms.co.zm:9000/$bucket" --replicate "delete,delete-marker,existing-objects" --priority 1',
        '    echo "$bucket: replication added"',
        '  fi',
        'done',
      ].join('\n'),
    );
  });

  const side = (site: typeof lusaka, name: string): ReplicationSite => ({
    scope: new Construct(Testing.app(), `${name}-scope`),
    cluster: site.base.cluster,
    store: site.data.minio,
    buckets: site.data.buckets,
    vault: site.security.vault.endpoint,
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: {} },
    registry: 'registry.lms.co.zm',
  });
  const attempt = (change: (props: { source: ReplicationSite; target: ReplicationSite }) => void) => {
    const props = { source: side(lusaka, 'source'), target: side(kitwe, 'target') };
    change(props);
    return () => new BucketReplication(new Construct(Testing.app(), 'test'), 'replication', { environmentName: 'production', ...props, approvedDomains: ['lms.co.zm'], lagBudget: Duration.minutes(5) });
  };
  const WHERE = 'BucketReplication test/replication';

  test('a target outside the approved in-country domains, a plain-http target, the same site twice', () => {
    expect(attempt((props) => (props.target = { ...props.target, store: Object.assign(Object.create(Object.getPrototypeOf(kitwe.data.minio)), kitwe.data.minio, { replicationUrl: 'https://minio.example.com:9000' }) }))).toThrow(
      `${WHERE}: target.replicationUrl: "https://minio.example.com:9000" is not allowed (allowed: a host in *.lms.co.zm, the environment's in-country sites)`,
    );
    expect(attempt((props) => (props.target = { ...props.target, store: Object.assign(Object.create(Object.getPrototypeOf(kitwe.data.minio)), kitwe.data.minio, { replicationUrl: 'http://minio.prod.kitwe.lms.co.zm:9000' }) }))).toThrow(
      `${WHERE}: target.replicationUrl: "http://minio.prod.kitwe.lms.co.zm:9000" is not allowed (allowed: an https:// URL; replicated data crosses between the sites encrypted)`,
    );
    expect(attempt((props) => (props.target = side(lusaka, 'again')))).toThrow(`${WHERE}: target: "lusaka" is not allowed (allowed: the environment's other site, not the source "lusaka")`);
  });

  test('object lock on one side only, versioning off, a bucket missing at the target', () => {
    const withBuckets = (site: ReplicationSite, buckets: unknown[]) => ({ ...site, buckets: { ...site.buckets, buckets } as never });
    const lusakaBuckets = lusaka.data.buckets.buckets;
    expect(attempt((props) => (props.target = withBuckets(props.target, lusakaBuckets.map((bucket) => (bucket.name === 'sql-backups' ? { ...bucket, objectLock: false } : bucket)))))).toThrow(
      `${WHERE}: bucket "sql-backups": object lock at lusaka only (allowed: the same object lock at both sites, or locked versions could not be replicated or would lose their lock)`,
    );
    expect(attempt((props) => (props.source = withBuckets(props.source, lusakaBuckets.map((bucket) => (bucket.name === 'documents' ? { ...bucket, versioning: false } : bucket)))))).toThrow(
      `${WHERE}: bucket "documents": versioning is off at lusaka (allowed: versioning at both sites; replication copies versions)`,
    );
    expect(attempt((props) => (props.target = withBuckets(props.target, lusakaBuckets.filter((bucket) => bucket.name !== 'es-snapshots'))))).toThrow(
      `${WHERE}: bucket "es-snapshots": missing at kitwe (allowed: a replicated bucket reconciled at both sites)`,
    );
  });
});

describe('MinioCluster and ObjectStoreBuckets: bad props', () => {
  const { MinioCluster } = jest.requireActual('../../constructs/minio-cluster') as typeof import('../../constructs/minio-cluster');
  const { ObjectStoreBuckets } = jest.requireActual('../../constructs/object-store-buckets') as typeof import('../../constructs/object-store-buckets');
  const minioProps = (): ConstructorParameters<typeof MinioCluster>[2] => ({
    cluster: lusaka.base.cluster,
    environmentName: 'production',
    registry: 'registry.lms.co.zm',
    siteDnsDomain: 'prod.lusaka.lms.co.zm',
    issuers: lusaka.traffic.certManager.issuers,
    pools: [{ servers: 3, drivesPerServer: 4, driveSize: '1Ti' }],
    parity: 4,
    resources: { cpuRequest: '2', memoryRequest: '8Gi', cpuLimit: '4', memoryLimit: '16Gi' },
    storageClassName: 'ssd-standard',
    region: 'zm-lusaka-1',
    survivesNodeLoss: true,
    replicationEndpoint: { address: '10.10.240.8', addressPool: 'replication', port: 9000 },
    vault: lusaka.security.vault.endpoint,
    metrics: { peer: { namespace: 'lms-observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: 9090 }, serviceMonitorLabels: {} },
    clients: [],
  });
  const WHERE = 'MinioCluster test/minio';
  const minio = (change: Partial<ConstructorParameters<typeof MinioCluster>[2]>) => () => new MinioCluster(new Construct(Testing.app(), 'test'), 'minio', { ...minioProps(), ...change });

  test('a valid store builds', () => {
    expect(minio({})().layouts).toHaveLength(1);
  });

  test.each([
    [{ pools: [] }, `${WHERE}: pools: [] is not allowed (allowed: one or more server pools)`],
    [{ parity: 0 }, `${WHERE}: parity: 0 is not allowed (allowed: a whole number of parity shards, at least 1)`],
    [{ pools: [{ servers: 1, drivesPerServer: 1, driveSize: '1Ti' }] }, `${WHERE}: pools[0]: {"servers":1,"drivesPerServer":1,"driveSize":"1Ti"} is not allowed (allowed: a drive count with an erasure set size of 2-16 that is a multiple or a divisor of the server count)`],
    [{ pools: [{ servers: 3, drivesPerServer: 1, driveSize: '1Ti' }] }, `${WHERE}: parity: 4 is not allowed (allowed: at most half of pool 0's erasure set of 3 drives (1))`],
    [{ pools: [{ servers: 2, drivesPerServer: 4, driveSize: '1Ti' }] }, `${WHERE}: pools[0]: {"servers":2,"drivesPerServer":4,"driveSize":"1Ti"} is not allowed (allowed: a layout whose erasure sets keep read quorum 4 and write quorum 5 with one server gone (it holds 4 of each set's 8 drives))`],
    [{ pools: [{ servers: 3, drivesPerServer: 4, driveSize: '1TB' }] }, `${WHERE}: pools[0].driveSize: "1TB" is not allowed (allowed: a whole number of Mi, Gi or Ti, e.g. "500Gi")`],
    [{ replicationEndpoint: { address: '10.10.240.8/32', addressPool: 'replication', port: 9000 } }, `${WHERE}: replicationEndpoint.address: "10.10.240.8/32" is not allowed (allowed: one IPv4 address of the site's replication pool, e.g. "10.10.240.8")`],
    [{ environmentName: 'Production' }, `${WHERE}: environmentName: "Production" is not allowed (allowed: a lower-case environment name, e.g. "production")`],
  ])('%j', (change, message) => {
    expect(minio(change as never)).toThrow(message);
  });

  const buckets = (change: Record<string, unknown>) => () =>
    new ObjectStoreBuckets(new Construct(Testing.app(), 'test'), 'buckets', {
      cluster: lusaka.base.cluster,
      store: lusaka.data.minio,
      registry: 'registry.lms.co.zm',
      vault: lusaka.security.vault.endpoint,
      buckets: lusaka.data.buckets.buckets,
      backupRetention: Duration.days(35),
      ...change,
    });
  const BUCKETS = 'ObjectStoreBuckets test/buckets';

  test.each([
    [{ buckets: [] }, `${BUCKETS}: buckets: [] is not allowed (allowed: one or more buckets)`],
    [{ buckets: [{ name: 'Documents', purpose: 'x', versioning: true, objectLock: false, replicated: true }] }, `${BUCKETS}: buckets[0].name: "Documents" is not allowed (allowed: an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, no "..", not shaped like an IP address)`],
    [{ buckets: [{ name: 'documents', purpose: 'x', versioning: false, objectLock: false, replicated: true }] }, `${BUCKETS}: buckets[0].versioning: false is not allowed for bucket "documents" (allowed: true; replication, object lock and recovery from overwrites need versions)`],
    [{ backupRetention: Duration.hours(12) }, `${BUCKETS}: backupRetention: "12h" is not allowed (allowed: a whole number of days, at least "1d"; object-lock retention and version expiry count days)`],
    [{ repairSchedule: 'hourly' }, `${BUCKETS}: repairSchedule: "hourly" is not a cron schedule`],
  ])('%j', (change, message) => {
    expect(buckets(change)).toThrow(message);
  });
});

describe('ObjectStoreUsers: each workload its own MinIO user, keys from Vault', () => {
  const { userPolicy, usersScript, ObjectStoreUsers } = jest.requireActual('../../constructs/object-store-users') as typeof import('../../constructs/object-store-users');
  const users = lusaka.data.users;

  test('every site has the loan-service, snapshot (Vault, SQL Server, Elasticsearch), replication and heartbeat users, keys only from their Vault secrets', () => {
    expect(users.users.map((user) => [user.name, user.credentials.toString()])).toEqual([
      ['loan-service', 'kv/production/object-store/loan-service'],
      ['vault-snapshot', 'kv/production/vault-snapshot'],
      ['sql-server', 'kv/production/object-store/sql-server'],
      ['elasticsearch-snapshots', 'kv/production/object-store/elasticsearch-snapshots'],
      ['replication', 'kv/production/minio-replication'],
      ['replication-heartbeat', 'kv/production/object-store/replication-heartbeat'],
    ]);
    expect(kitwe.data.users.users.map((user) => user.name)).toEqual(['loan-service', 'vault-snapshot', 'sql-server', 'elasticsearch-snapshots', 'replication', 'replication-heartbeat']);
    const job = find(users.objects, 'Job', users.jobName);
    expect(job.spec.template.metadata.annotations['vault.hashicorp.com/agent-inject-template-user-loan-service.env']).toBe(
      "{{- with secret \"kv/data/production/object-store/loan-service\" -}}\nexport ACCESS_KEY='{{ .Data.data.access_key_id }}'\nexport SECRET_KEY='{{ .Data.data.secret_access_key }}'\n{{- end }}",
    );
  });

  test('a policy grants exactly the buckets and prefixes named', () => {
    const snapshot = users.users.find((user) => user.name === 'vault-snapshot')!;
    expect(userPolicy(snapshot)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: ['arn:aws:s3:::vault-snapshots'], Condition: { StringLike: { 's3:prefix': ['lusaka/*'] } } },
        { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: ['arn:aws:s3:::vault-snapshots/lusaka/*'] },
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: ['arn:aws:s3:::vault-snapshots'] },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::vault-snapshots/*'] },
      ],
    });
    const policies = find(users.objects, 'ConfigMap', 'object-store-users').data;
    expect(Object.keys(policies).sort()).toEqual(['lms-elasticsearch-snapshots.json', 'lms-loan-service.json', 'lms-replication-heartbeat.json', 'lms-replication.json', 'lms-sql-server.json', 'lms-vault-snapshot.json']);
    // SQL Server writes its own site's backups and reads the other site's to restore them.
    expect(JSON.parse(policies['lms-sql-server.json']).Statement.map((statement: any) => [statement.Action.join(','), statement.Resource[0]])).toEqual([
      ['s3:GetBucketLocation,s3:ListBucket,s3:ListBucketMultipartUploads', 'arn:aws:s3:::sql-backups'],
      ['s3:AbortMultipartUpload,s3:DeleteObject,s3:GetObject,s3:ListMultipartUploadParts,s3:PutObject', 'arn:aws:s3:::sql-backups/lusaka/*'],
      ['s3:GetBucketLocation,s3:ListBucket', 'arn:aws:s3:::sql-backups'],
      ['s3:GetObject', 'arn:aws:s3:::sql-backups/*'],
    ]);
    expect(JSON.parse(policies['lms-replication-heartbeat.json']).Statement.slice(0, 2)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetBucketObjectLockConfiguration', 's3:ListBucket'], Resource: ['arn:aws:s3:::documents'] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'], Resource: ['arn:aws:s3:::documents/.lms-heartbeat/*'] },
    ]);
    expect(JSON.parse(policies['lms-replication.json']).Statement.map((statement: any) => statement.Resource[0])).toEqual([
      'arn:aws:s3:::documents', 'arn:aws:s3:::documents/*', 'arn:aws:s3:::sql-backups', 'arn:aws:s3:::sql-backups/*',
      'arn:aws:s3:::vault-snapshots', 'arn:aws:s3:::vault-snapshots/*', 'arn:aws:s3:::es-snapshots', 'arn:aws:s3:::es-snapshots/*',
    ]);
  });

  test('the script creates each policy and user, and attaches the policy unless it is attached', () => {
    expect(usersScript(['loan-service'])).toBe(
      [
        'set -eu',
        '. /vault/secrets/admin.env',
        'mkdir -p "$HOME/mc/certs/CAs"',
        'cp /etc/object-store-ca/ca.crt "$HOME/mc/certs/CAs/site-ca.crt"',
        'mc() { command mc --config-dir "$HOME/mc" --quiet "$@"; }',
        'for user in loan-service; do',
        '  . "/vault/secrets/user-$user.env"',
        '  mc admin policy create site "lms-$user" "/etc/object-store/lms-$user.json" >/dev/null',
        '  mc admin user add site "$ACCESS_KEY" "$SECRET_KEY" >/dev/null',
        '  if ! out="$(mc admin policy attach site "lms-$user" --user "$ACCESS_KEY" 2>&1)"; then',
        '    case "$out" in',
        '      *"already in effect"*) ;;',
        '      *) echo "$user: attaching policy lms-$user failed" >&2; exit 1 ;;',
        '    esac',
        '  fi',
        '  echo "$user: policy lms-$user"',
        'done',
      ].join('\n'),
    );
  });

  const WHERE = 'ObjectStoreUsers test/users';
  const make = (change: Record<string, unknown>) => () =>
    new ObjectStoreUsers(new Construct(Testing.app(), 'test'), 'users', { cluster: lusaka.base.cluster, store: lusaka.data.minio, registry: 'registry.lms.co.zm', vault: lusaka.security.vault.endpoint, users: users.users, ...change });
  const user = users.users[0];
  test.each([
    [{ users: [] }, `${WHERE}: users: [] is not allowed (allowed: one or more users)`],
    [{ users: [user, user] }, `${WHERE}: users[1].name: "loan-service" is not allowed (allowed: a DNS label, each user once)`],
    [{ users: [{ ...user, grants: [] }] }, `${WHERE}: users[0].grants: [] is not allowed (allowed: one or more grants)`],
    [{ users: [{ ...user, grants: [{ bucket: 'documents', prefix: 'lusaka/*', access: 'read' }] }] }, `${WHERE}: users[0].grants[0].prefix: "lusaka/*" is not allowed (allowed: a key prefix ending in "/", without wildcards, e.g. "lusaka/")`],
    [{ users: [{ ...user, grants: [{ bucket: 'documents', access: 'admin' }] }] }, `${WHERE}: users[0].grants[0].access: "admin" is not allowed (allowed: "read", "read-write", "heartbeat", "replication-target")`],
  ])('%j', (change, message) => {
    expect(make(change)).toThrow(message);
  });
});
