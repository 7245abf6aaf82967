import { CronSchedule } from '../../constructs/cron-schedule';
import { Duration } from '../../constructs/duration';
import { PlatformError } from '../../constructs/platform-error';
import { contributesRunbookSteps } from '../../constructs/runbook-step';
import { policyFor, vaultAccess } from '../../constructs/vault-access';
import { VaultSnapshots, type VaultSnapshotsProps } from '../../constructs/vault-snapshots';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { failoverRunbook } from '../../stacks/runbook';
import { environmentNamed } from '../support/environments';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { validateKubeObject } from '../support/kube-schema';
import { TRANSIT_UNSEAL, vaultClusterFixture } from '../support/vault';

const REGISTRY = 'registry.lms.co.zm';
const SERVERS = { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': 'vault', component: 'server' };
const JOB_PODS = { 'app.kubernetes.io/name': 'vault-snapshot', 'app.kubernetes.io/component': 'backup' };
const STORE_PODS = { 'app.kubernetes.io/name': 's3' };
const WHERE = 'VaultSnapshots test-lusaka-security/vault-snapshots';

function props(overrides: Partial<VaultSnapshotsProps> = {}): VaultSnapshotsProps {
  const scope = testScope('test-lusaka-security');
  return {
    cluster: siteClusterFixture({}, testScope()),
    vault: vaultClusterFixture({}, scope),
    registry: REGISTRY,
    environmentName: 'test',
    siteRole: 'disaster-recovery',
    otherSiteName: 'kitwe',
    schedule: '*/15 * * * *',
    objectStore: { url: 'https://s3.lms-data.svc.cluster.local:9000', region: 'zm-lusaka-1', peer: { namespace: 'lms-data', podLabels: STORE_PODS, port: 9000 }, caSecretName: 'object-store-trust' },
    ...overrides,
  };
}

function snapshots(overrides: Partial<VaultSnapshotsProps> = {}): VaultSnapshots {
  return new VaultSnapshots(testScope('test-lusaka-security'), 'vault-snapshots', props(overrides));
}

const objectNamed = (component: VaultSnapshots, kind: string, name: string) => component.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
const podSpecOf = (component: VaultSnapshots) => objectNamed(component, 'CronJob', 'vault-snapshot').spec.jobTemplate.spec.template;

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return (error as Error).message;
  }
  throw new Error('expected a PlatformError');
}

describe('VaultSnapshots', () => {
  const component = snapshots();

  test('renders the ServiceAccount, CronJob and NetworkPolicies in Vault\'s namespace, each valid against the Kubernetes schema', () => {
    expect(component.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/lms-security/vault-snapshot',
      'CronJob/lms-security/vault-snapshot',
      'NetworkPolicy/lms-security/vault-snapshot',
      'NetworkPolicy/lms-security/vault-server-from-vault-snapshot',
    ]);
    for (const object of component.objects) validateKubeObject(object);
    expect(objectNamed(component, 'ServiceAccount', 'vault-snapshot').automountServiceAccountToken).toBe(false);
  });

  test('the CronJob: the environment\'s schedule, one run at a time, bounded retries and history', () => {
    const cronJob = objectNamed(component, 'CronJob', 'vault-snapshot');
    expect({ ...cronJob.spec, jobTemplate: undefined }).toEqual({
      schedule: '*/15 * * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: undefined,
    });
    expect({ ...cronJob.spec.jobTemplate.spec, template: undefined }).toEqual({ backoffLimit: 2, activeDeadlineSeconds: 600, template: undefined });
    expect(cronJob.metadata.labels['lms.co.zm/site']).toBe('lusaka');
    expect(component.worstCaseDataLoss.toString()).toBe('15m');
    expect([component.bucket, component.keyPrefix, component.namespace]).toEqual(['vault-snapshots', 'lusaka/', 'lms-security']);
  });

  test('the pod gets its secrets from the Vault agent only: init first, pre-populate only, the token and one rendered credentials file', () => {
    const template = podSpecOf(component);
    expect(template.metadata.labels).toEqual(JOB_PODS);
    expect(template.metadata.annotations).toEqual({
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/agent-init-first': 'true',
      'vault.hashicorp.com/role': 'vault-snapshot',
      'vault.hashicorp.com/service': 'https://vault.lms-security.svc.cluster.local:8200',
      'vault.hashicorp.com/secret-volume-path': '/vault/secrets',
      'vault.hashicorp.com/agent-service-account-token-volume-name': 'vault-token',
      'vault.hashicorp.com/agent-pre-populate-only': 'true',
      'vault.hashicorp.com/agent-inject-token': 'true',
      'vault.hashicorp.com/ca-cert': '/vault/ca/ca.crt',
      'vault.hashicorp.com/agent-copy-volume-mounts': 'snapshot',
      'vault.hashicorp.com/agent-inject-secret-object-store.env': 'kv/data/test/vault-snapshot',
      'vault.hashicorp.com/agent-inject-template-object-store.env': [
        '{{- with secret "kv/data/test/vault-snapshot" -}}',
        "export MC_HOST_snapshots='https://{{ .Data.data.access_key_id | urlquery }}:{{ .Data.data.secret_access_key | urlquery }}@s3.lms-data.svc.cluster.local:9000'",
        '{{- end }}',
      ].join('\n'),
    });
  });

  test('no secret value anywhere: no Secret object, no secret env, no credential in any string', () => {
    const text = JSON.stringify(component.objects);
    expect(component.objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(text).not.toMatch(/secretKeyRef|envFrom|AWS_SECRET|MINIO_ROOT|password/i);
    const spec = podSpecOf(component).spec;
    for (const container of [...spec.initContainers, ...spec.containers]) {
      expect(container.env.map((variable: { name: string; value: string }) => Object.keys(variable).sort())).toEqual(container.env.map(() => ['name', 'value']));
      expect(container.env.map((variable: { name: string }) => variable.name).filter((name: string) => /TOKEN|KEY|SECRET/.test(name))).toEqual([]);
    }
    // The only secret volume is the CA certificate of Vault's Secret, never its key.
    expect(spec.volumes.filter((volume: any) => volume.secret)).toEqual([
      { name: 'ca', secret: { secretName: 'vault-server-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
    ]);
  });

  test('first the Vault CLI saves the snapshot, then mc uploads it under <site>/vault-<UTC time>.snap', () => {
    const spec = podSpecOf(component).spec;
    const [snapshot] = spec.initContainers;
    const [upload] = spec.containers;
    expect(snapshot.image).toBe(`${REGISTRY}/hashicorp/vault:2.0.4@${VERSIONS.images.vault.digest}`);
    expect(upload.image).toBe(`${REGISTRY}/minio/mc:${VERSIONS.images.minioClient.tag}@${VERSIONS.images.minioClient.digest}`);
    expect(snapshot.env).toEqual([
      { name: 'VAULT_ADDR', value: 'https://vault.lms-security.svc.cluster.local:8200' },
      { name: 'VAULT_CACERT', value: '/vault/ca/ca.crt' },
      { name: 'HOME', value: '/scratch' },
    ]);
    expect(snapshot.command).toEqual([
      '/bin/sh',
      '-c',
      [
        'set -eu',
        'VAULT_TOKEN="$(cat /vault/secrets/token)"',
        'export VAULT_TOKEN',
        'file="/snapshots/vault-$(date -u +%Y%m%dT%H%M%SZ).snap"',
        'vault operator raft snapshot save "$file"',
        'vault operator raft snapshot inspect "$file" >/dev/null',
      ].join('\n'),
    ]);
    expect(upload.command).toEqual([
      '/bin/sh',
      '-c',
      [
        'set -eu',
        '. /vault/secrets/object-store.env',
        'mkdir -p /scratch/mc/certs/CAs',
        'cp /vault/ca/ca.crt /scratch/mc/certs/CAs/site-ca.crt',
        'set -- /snapshots/vault-*.snap',
        'test -f "$1"',
        'mc --config-dir /scratch/mc cp --quiet "$1" "snapshots/vault-snapshots/lusaka/${1##*/}"',
      ].join('\n'),
    ]);
    expect(upload.volumeMounts).toEqual([
      { name: 'snapshots', mountPath: '/snapshots', readOnly: true },
      { name: 'ca', mountPath: '/vault/ca', readOnly: true },
      { name: 'tmp', mountPath: '/scratch' },
    ]);
  });

  test('restricted pod security, resources, the platform priority class, and a token only the agent mounts', () => {
    const spec = podSpecOf(component).spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect([spec.serviceAccountName, spec.automountServiceAccountToken, spec.restartPolicy, spec.priorityClassName]).toEqual(['vault-snapshot', false, 'Never', 'lms-platform']);
    for (const container of [...spec.initContainers, ...spec.containers]) {
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
      expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    }
    expect(spec.volumes.find((volume: any) => volume.name === 'vault-token')).toEqual({ name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } });
    const report = checkPolicies(component.objects, { approvedRegistries: [REGISTRY] });
    expect(report.findings).toEqual([]);
  });

  test('NetworkPolicies: the job reaches only Vault\'s API, the object store and DNS; Vault admits the job on its API port', () => {
    expect(objectNamed(component, 'NetworkPolicy', 'vault-snapshot').spec).toEqual({
      podSelector: { matchLabels: JOB_PODS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-security' } }, podSelector: { matchLabels: SERVERS } }], ports: [{ protocol: 'TCP', port: 8200 }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-data' } }, podSelector: { matchLabels: STORE_PODS } }], ports: [{ protocol: 'TCP', port: 9000 }] },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        },
      ],
    });
    expect(objectNamed(component, 'NetworkPolicy', 'vault-server-from-vault-snapshot').spec).toEqual({
      podSelector: { matchLabels: SERVERS },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: JOB_PODS } }], ports: [{ protocol: 'TCP', port: 8200 }] }],
    });
  });

  test('its Vault consumer: the vault-snapshot service account, and a policy of exactly its KV secret and the Raft snapshot endpoint', () => {
    const { consumer } = component;
    expect([consumer.serviceAccount, consumer.namespace, consumer.role, consumer.environment]).toEqual(['vault-snapshot', 'lms-security', 'vault-snapshot', 'test']);
    expect(consumer.secrets.map(String)).toEqual(['kv/test/vault-snapshot']);
    expect(consumer.systemPaths.map((p) => [p.path, p.capabilities])).toEqual([['sys/storage/raft/snapshot', ['read']]]);
    expect(policyFor(consumer).rules).toEqual([
      { path: 'kv/data/test/vault-snapshot', capabilities: ['read'] },
      { path: 'kv/metadata/test/vault-snapshot', capabilities: ['read'] },
      { path: 'sys/storage/raft/snapshot', capabilities: ['read'] },
    ]);
    const [access] = vaultAccess('test', [consumer]);
    expect(access.role).toEqual({
      name: 'vault-snapshot',
      boundServiceAccountNames: ['vault-snapshot'],
      boundServiceAccountNamespaces: ['lms-security'],
      policies: ['vault-snapshot'],
      tokenTtlSeconds: 3600,
      tokenMaxTtlSeconds: 14400,
    });
  });

  describe('runbook steps', () => {
    test('at the disaster-recovery site: failover steps in the data phase, in order', () => {
      expect(contributesRunbookSteps(component)).toBe(true);
      expect(component.runbookSteps.map((step) => [step.id, step.procedure, step.phase, step.order, step.expectedMinutes, step.title])).toEqual([
        ['vault.fetch-newest-snapshot', 'failover', 'data', 10, 10, "Fetch Kitwe's newest Vault snapshot at Lusaka"],
        ['vault.restore-snapshot', 'failover', 'data', 11, 30, "Restore Kitwe's Vault snapshot at Lusaka"],
        ['vault.verify-restore', 'failover', 'data', 12, 10, "Check Lusaka's Vault serves Kitwe's data"],
      ]);
    });

    test('exact commands with the real names: CA, port-forwards, credentials from KV, the newest snapshot, the forced restore', () => {
      const [fetch, restore, verify] = component.runbookSteps;
      for (const line of [
        "lusaka -n lms-security get secret vault-server-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > site-ca.crt",
        'lusaka -n lms-security port-forward service/vault-active 8200:8200 >/dev/null &',
        'lusaka -n lms-data port-forward service/s3 9000:9000 >/dev/null &',
        'export VAULT_ADDR=https://127.0.0.1:8200 VAULT_CACERT=site-ca.crt VAULT_TLS_SERVER_NAME=vault-active.lms-security.svc',
        'export MC_HOST_lusaka="https://$(vault kv get -field=access_key_id kv/test/vault-snapshot):$(vault kv get -field=secret_access_key kv/test/vault-snapshot)@s3.lms-data.svc.cluster.local:9000"',
        "newest=\"$(mc --config-dir mc --resolve s3.lms-data.svc.cluster.local:9000=127.0.0.1 ls lusaka/vault-snapshots/kitwe/ | awk '{print $NF}' | grep -E '^vault-[0-9]{8}T[0-9]{6}Z\\.snap$' | sort | tail -n 1)\"",
        'mc --config-dir mc --resolve s3.lms-data.svc.cluster.local:9000=127.0.0.1 cp "lusaka/vault-snapshots/kitwe/$newest" "$newest"',
      ]) {
        expect(fetch.body.split('\n')).toContain(line);
      }
      expect(restore.body.split('\n')).toContain('vault operator raft snapshot restore -force "$newest"');
      expect(restore.body).toContain("The restored data is sealed with **Kitwe's** keys: from now on Lusaka's servers unseal with Kitwe's key shares, and Lusaka's own shares no longer open them.");
      expect(restore.body).toContain('needs 3 of the 5 custodians of Kitwe\'s shares (a, b, c, d, e)');
      expect(restore.body.split('\n').filter((line) => line.includes('vault operator unseal'))).toEqual([
        'lusaka -n lms-security exec -ti vault-0 -- vault operator unseal   # repeat until Sealed false',
        'lusaka -n lms-security exec -ti vault-1 -- vault operator unseal   # repeat until Sealed false',
        'lusaka -n lms-security exec -ti vault-2 -- vault operator unseal   # repeat until Sealed false',
      ]);
      expect(verify.body.split('\n')).toContain('   vault write auth/kubernetes/login role=vault-snapshot jwt="$(lusaka -n lms-security create token vault-snapshot --duration=10m)"');
      expect(verify.body).toContain('With schedule `*/15 * * * *` it is at most 15m (plus replication lag)');
    });

    test('with a transit seal the servers unseal themselves with the shared transit key; no custodian step', () => {
      const transit = snapshots({ vault: vaultClusterFixture({ unseal: TRANSIT_UNSEAL }, testScope('test-lusaka-security')) });
      const restore = transit.runbookSteps[1];
      expect(restore.expectedMinutes).toBe(10);
      expect(restore.body).toContain('Both sites unseal through the same transit key `lms-test-unseal` of `https://unseal.lms.co.zm:8200` (mount `transit`)');
      expect(restore.body).not.toContain('vault operator unseal');
    });

    test('the failover runbook lists them after the declaration, before the promotion', () => {
      const kitwe = snapshots({ cluster: siteClusterFixture({ siteName: 'kitwe' }, testScope()), otherSiteName: 'lusaka' });
      const text = failoverRunbook(environmentNamed('production'), kitwe.runbookSteps);
      const failover = text.slice(text.indexOf('## Failover'), text.indexOf('## Fail back'));
      expect(failover.split('\n').filter((line) => line.startsWith('### ') && !line.startsWith('### Expected'))).toEqual([
        '### 1. Declare the failover to Kitwe',
        "### 2. Fetch Lusaka's newest Vault snapshot at Kitwe",
        "### 3. Restore Lusaka's Vault snapshot at Kitwe",
        "### 4. Check Kitwe's Vault serves Lusaka's data",
        '### 5. Promote Kitwe',
        '### 6. Move `loans.lms.co.zm` to Kitwe\'s Gateway',
        '### 7. Verify `loans.lms.co.zm` is served by Kitwe',
        '### 8. Record the new roles',
      ]);
      expect(failover).toContain('kitwe -n lms-security port-forward service/vault-active 8200:8200 >/dev/null &');
    });

    test('at the primary site: the same steps for the fail back', () => {
      expect(snapshots({ siteRole: 'primary' }).runbookSteps.map((step) => step.procedure)).toEqual(['fail-back', 'fail-back', 'fail-back']);
    });
  });

  test('a bucket, deadline and resources of its own', () => {
    const custom = snapshots({ bucket: 'vault.backups-1', schedule: '0 */6 * * *', activeDeadline: Duration.minutes(30), resources: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' } });
    const cronJob = objectNamed(custom, 'CronJob', 'vault-snapshot');
    expect([cronJob.spec.schedule, cronJob.spec.jobTemplate.spec.activeDeadlineSeconds, custom.worstCaseDataLoss.toString()]).toEqual(['0 */6 * * *', 1800, '6h']);
    expect(podSpecOf(custom).spec.containers[0].command[2]).toContain('"snapshots/vault.backups-1/lusaka/${1##*/}"');
  });

  const CRON = 'five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, each within its range, e.g. "0 * * * *"';
  const BUCKET = 'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, no "..", not shaped like an IP address';
  test.each<[string, Partial<VaultSnapshotsProps>, string]>([
    ['hourly', { schedule: 'hourly' }, `${WHERE}: schedule: "hourly" is not a cron schedule (allowed: ${CRON})`],
    ['six fields', { schedule: '0 0 * * * *' }, `${WHERE}: schedule: "0 0 * * * *" is not a cron schedule (allowed: ${CRON})`],
    ['minute 60', { schedule: '60 * * * *' }, `${WHERE}: schedule: "60 * * * *" is not a cron schedule (allowed: ${CRON})`],
    ['never', { schedule: '0 0 30 2 *' }, `${WHERE}: schedule: "0 0 30 2 *" runs never in eight years (allowed: a cron schedule that repeats, e.g. "0 * * * *")`],
    ['upper-case bucket', { bucket: 'Vault_Snapshots' }, `${WHERE}: bucket: "Vault_Snapshots" is not allowed (allowed: ${BUCKET})`],
    ['IP bucket', { bucket: '10.1.2.3' }, `${WHERE}: bucket: "10.1.2.3" is not allowed (allowed: ${BUCKET})`],
    ['short bucket', { bucket: 'vs' }, `${WHERE}: bucket: "vs" is not allowed (allowed: ${BUCKET})`],
    ['double dot', { bucket: 'vault..snapshots' }, `${WHERE}: bucket: "vault..snapshots" is not allowed (allowed: ${BUCKET})`],
    [
      'plain http store',
      { objectStore: { url: 'http://s3.lms-data.svc.cluster.local:9000', region: 'zm-lusaka-1', peer: { namespace: 'lms-data', podLabels: STORE_PODS, port: 9000 }, caSecretName: 'object-store-trust' } },
      `${WHERE}: objectStore.url: "http://s3.lms-data.svc.cluster.local:9000" is not allowed (allowed: an https:// URL of the store's in-cluster Service, "https://<service>.<namespace>.svc.cluster.local[:port]")`,
    ],
    ['environment', { environmentName: 'Prod' }, `${WHERE}: environmentName: "Prod" is not allowed (allowed: a lower-case environment name, e.g. "production")`],
    ['same site', { otherSiteName: 'lusaka' }, `${WHERE}: otherSiteName: "lusaka" is not allowed (allowed: the environment's other site, a lower-case name other than "lusaka")`],
    ['role', { siteRole: 'standby' as never }, `${WHERE}: siteRole: "standby" is not allowed (allowed: "primary" or "disaster-recovery")`],
    ['deadline', { activeDeadline: Duration.minutes(20) }, `${WHERE}: activeDeadline: "20m" is not allowed (allowed: at most the shortest interval of schedule "*/15 * * * *" (15m), so one run never delays the next)`],
    ['volume', { snapshotVolumeSize: '2G' }, `${WHERE}: snapshotVolumeSize: "2G" is not allowed (allowed: a whole number of Mi or Gi, e.g. "2Gi")`],
    [
      'request above limit',
      { resources: { cpuRequest: '2', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' } },
      `${WHERE}: resources.cpuRequest: "2" is above cpuLimit "500m" (allowed: a request no larger than its limit)`,
    ],
  ])('%s is rejected', (_case, overrides, message) => {
    expect(errorOf(() => snapshots(overrides))).toBe(message);
  });
});

describe('CronSchedule', () => {
  test.each([
    ['*/15 * * * *', '15m', '15m'],
    ['0 * * * *', '1h', '1h'],
    ['0 */6 * * *', '6h', '6h'],
    ['0,30 9-17 * * *', '930m', '30m'],
    ['0 2 * * 1', '7d', '7d'],
    ['0 2 1 * *', '31d', '28d'],
    ['0 0 29 2 *', `${4 * 365 + 1}d`, `${4 * 365 + 1}d`],
  ])('%s: longest interval %s, shortest %s', (expression, longest, shortest) => {
    const schedule = CronSchedule.parse(expression, 'test');
    expect([schedule.expression, schedule.longestInterval.toString(), schedule.shortestInterval.toString()]).toEqual([expression, longest, shortest]);
  });

  test('both day fields restricted: either matches, as cron does', () => {
    // The 1st of each month or every Monday: never more than 7 days apart.
    expect(CronSchedule.parse('0 0 1 * 1', 'test').longestInterval.isLongerThan(Duration.days(7))).toBe(false);
  });
});
