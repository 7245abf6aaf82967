import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { PlatformError } from '../../constructs/platform-error';
import type { RunbookStep } from '../../constructs/runbook-step';
import { checkEnvironment } from '../../environments/load';
import type { Environment } from '../../environments/schema';
import { failoverRunbook, runbookFileName, runbookStepsOf, writeRunbooks } from '../../stacks/runbook';
import { environmentNamed, rawEnvironment } from '../support/environments';

/**
 * A drill environment built on dev's shape, every field the runbook reads set here: Lusaka
 * reached through a kubeconfig context with local state, Kitwe through its API endpoint with
 * its state at Kitwe, the public record changed by hand.
 */
function drill(dnsFailover: object = { zone: 'drill.lms.co.zm', ttlSeconds: 120, update: 'manual', server: 'ns1.lms.co.zm' }, change: (raw: any) => void = () => undefined): Environment {
  const raw: any = rawEnvironment('dev');
  raw.name = 'drill';
  raw.objectives = { recoveryPoint: '30m', recoveryTime: '2h', availabilityPercent: 99, fullBackupSchedule: 'daily', logBackupInterval: '15m' };
  // 15m log backups + 5m replication lag + 10m restores: the 30m recovery point.
  raw.objectStorage.replicationLagBudget = '5m';
  raw.sqlServer.restoreInterval = '10m';
  raw.traffic.publicHost = 'loans.drill.lms.co.zm';
  raw.traffic.publicCertificate = { issuer: 'internal-ca' };
  raw.traffic.dnsFailover = dnsFailover;
  raw.sites.lusaka.role = 'primary';
  raw.sites.lusaka.dataCentre = 'Lusaka DC';
  raw.sites.lusaka.cluster = { kind: 'kubeconfig-context', context: 'drill-lusaka' };
  raw.sites.lusaka.state = { kind: 'local', directory: '.terraform-state' };
  raw.sites.lusaka.network.gatewayAddress = '10.12.240.1';
  raw.sites.lusaka.workloads.loanService = { ...raw.sites.lusaka.workloads.loanService, replicas: 2, standbyReplicas: 1 };
  raw.sites.kitwe.role = 'disaster-recovery';
  raw.sites.kitwe.dataCentre = 'Kitwe DC';
  raw.sites.kitwe.dnsDomain = 'drill.kitwe.lms.co.zm';
  raw.sites.kitwe.chartRepository = 'https://charts.drill.kitwe.lms.co.zm';
  raw.sites.kitwe.cluster = { kind: 'api-endpoint', endpoint: 'https://api.drill.kitwe.lms.co.zm:6443' };
  raw.sites.kitwe.state = { kind: 's3', endpoint: 'https://state.drill.kitwe.lms.co.zm', bucket: 'drill-state-kitwe', region: 'zm-kitwe-1' };
  raw.sites.kitwe.network.gatewayAddress = '10.22.240.1';
  raw.identityProvider.jwks.kitwe.url = 'https://id.drill.kitwe.lms.co.zm/realms/lms-dev/protocol/openid-connect/certs';
  raw.sites.kitwe.workloads.loanService = { ...raw.sites.kitwe.workloads.loanService, replicas: 2, standbyReplicas: 1 };
  change(raw);
  const checked = checkEnvironment(raw, 'environments/drill.ts');
  if (!checked.environment) throw new Error(checked.problems.join('\n'));
  return { ...checked.environment, pins: environmentNamed('dev').pins };
}

const SIGNED = { zone: 'drill.lms.co.zm', ttlSeconds: 120, update: 'rfc2136', server: 'ns1.lms.co.zm', tsigKeyVaultPath: 'kv/drill/dns-failover' };

/** The part of the Markdown from the line `from` up to (not including) the next line starting with `to`. */
function section(markdown: string, from: string, to: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(from);
  if (start < 0) throw new Error(`no line ${from}`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith(to));
  return lines.slice(start, end).join('\n');
}

const step = (overrides: Partial<RunbookStep>): RunbookStep => ({
  id: 'sql-server.restore-log-backups',
  procedure: 'failover',
  phase: 'data',
  title: 'Restore the last log backups at Kitwe',
  body: 'Restore every log backup MinIO replicated to Kitwe, then bring the database online.',
  expectedMinutes: 25,
  ...overrides,
});

describe('failoverRunbook', () => {
  test('the whole runbook of the drill environment, changed by hand', () => {
    expect(failoverRunbook(drill())).toBe(EXPECTED_MANUAL);
  });

  test('the same environment gives the same text, whatever order the steps were contributed in', () => {
    const steps = [step({}), step({ id: 'minio.check-replication', title: 'Check bucket replication caught up', expectedMinutes: 5 }), step({ id: 'vault.promote', order: -1, title: 'Promote Vault at Kitwe', expectedMinutes: 10 })];
    expect(failoverRunbook(drill())).toBe(failoverRunbook(drill()));
    expect(failoverRunbook(drill(), steps)).toBe(failoverRunbook(drill(), [...steps].reverse()));
  });

  test('a signed dynamic update: the exact nsupdate script, the key read from Vault at run time and removed on exit', () => {
    const markdown = failoverRunbook(drill(SIGNED));
    expect(markdown).toContain('| How the record moves | dynamic update (RFC 2136) signed with the TSIG key at Vault `kv/drill/dns-failover` |\n');
    expect(markdown).toContain('external-dns is not deployed, because the bank\'s change process expects each DNS change to be made under an approved change, and the `nsupdate` script below makes the change exact and repeatable.');
    expect(section(markdown, '### 3. Move `loans.drill.lms.co.zm` to Kitwe\'s Gateway', '### 4.')).toBe(
      [
        '### 3. Move `loans.drill.lms.co.zm` to Kitwe\'s Gateway',
        '',
        '_traffic, about 5 min_ (`dns.move-public-record`)',
        '',
        'The bank\'s DNS accepts this dynamic update signed with the TSIG key kept in Vault at `kv/drill/dns-failover` (field `keyfile`, in `tsig-keygen` format). The script reads the key at run time into a file only the operator can read and removes it on exit; the key is never written anywhere else. Run it with a token of the site\'s Vault that carries policy `failover-dns` (that path only, read-only; a Vault administrator issues it for the failover: `vault token create -policy=failover-dns -ttl=1h`):',
        '',
        '```sh',
        '#!/usr/bin/env bash',
        '# Moves loans.drill.lms.co.zm from Lusaka (10.12.240.1) to Kitwe (10.22.240.1).',
        'set -euo pipefail',
        'umask 077',
        'keyfile="$(mktemp)"',
        'trap \'rm -f "$keyfile"\' EXIT',
        'vault kv get -field=keyfile kv/drill/dns-failover > "$keyfile"',
        'nsupdate -k "$keyfile" <<\'UPDATE\'',
        'server ns1.lms.co.zm',
        'zone drill.lms.co.zm',
        'prereq yxrrset loans.drill.lms.co.zm. IN A 10.12.240.1',
        'update delete loans.drill.lms.co.zm. IN A 10.12.240.1',
        'update add loans.drill.lms.co.zm. 120 IN A 10.22.240.1',
        'send',
        'UPDATE',
        '```',
        '',
        'The `prereq` line makes the update apply only while the record still holds Lusaka\'s address: if anyone changed it already, `nsupdate` fails with `NXRRSET` and changes nothing; look at the record (next step) before going on.',
        '',
      ].join('\n'),
    );
    // Failing back moves the record the other way.
    const back = section(markdown, '### 3. Move `loans.drill.lms.co.zm` to Lusaka\'s Gateway', '### 4.');
    expect(back).toContain('prereq yxrrset loans.drill.lms.co.zm. IN A 10.22.240.1\nupdate delete loans.drill.lms.co.zm. IN A 10.22.240.1\nupdate add loans.drill.lms.co.zm. 120 IN A 10.12.240.1\n');
    expect(section(markdown, '### Expected time', '77 min')).toContain('| 3. Move `loans.drill.lms.co.zm` to Kitwe\'s Gateway | 5 |\n| 4. Verify `loans.drill.lms.co.zm` is served by Kitwe | 10 |\n| Resolvers holding the old address (TTL 120 s) | 2 |\n| **until `loans.drill.lms.co.zm` is served by Kitwe** | **52** |');
    // No key material (a key file's `secret "..."`, an algorithm, a key on the command line), only where it is read from.
    expect(markdown).not.toMatch(/secret\s+"|hmac-|nsupdate -y/i);
  });

  test('the record at the zone apex is named @', () => {
    const apex = failoverRunbook(drill({ zone: 'loans.drill.lms.co.zm', ttlSeconds: 120, update: 'manual', server: 'ns1.lms.co.zm' }));
    expect(apex).toContain('| Name | `loans.drill.lms.co.zm.` (`@` in the zone) |');
  });

  test('the bank\'s own CA for the public certificate: the check trusts its chain', () => {
    const markdown = failoverRunbook(drill(undefined, (raw) => (raw.traffic.publicCertificate = { issuer: 'external-ca', caSecretName: 'bank-issuing-ca' })));
    expect(markdown).toContain("2. The loan-service answers through Kitwe's Gateway (`CA_BUNDLE` is a file holding the certificate chain of the bank's CA, whose key pair is in Secret `bank-issuing-ca`):");
  });

  test('the runbook follows the roles: with Kitwe primary, the failover goes to Lusaka', () => {
    const promoted = failoverRunbook(drill(undefined, (raw) => {
      raw.sites.lusaka.role = 'disaster-recovery';
      raw.sites.kitwe.role = 'primary';
    }));
    expect(promoted.split('\n').filter((line) => line.startsWith('## '))).toEqual(['## Before you start', '## Failover: Kitwe to Lusaka', '## Fail back: Lusaka to Kitwe']);
    expect(promoted).toContain('| Public DNS record | `loans.drill.lms.co.zm.` A `10.22.240.1`, TTL 120 s, zone `drill.lms.co.zm`, primary name server `ns1.lms.co.zm` |');
  });

  test('contributed steps take their place by phase and order, are numbered with the rest and count against the recovery time', () => {
    const markdown = failoverRunbook(drill(), [
      step({}),
      step({ id: 'vault.promote', order: -1, title: 'Promote Vault at Kitwe', body: 'Promote the DR replica.', expectedMinutes: 10 }),
      step({ id: 'minio.resync', procedure: 'fail-back', title: 'Resynchronise MinIO at Lusaka', body: 'Wait for replication.', expectedMinutes: 40 }),
    ]);
    const failover = section(markdown, '## Failover: Lusaka to Kitwe', '## Fail back');
    expect(failover.split('\n').filter((line) => line.startsWith('### '))).toEqual([
      '### 1. Declare the failover to Kitwe',
      '### 2. Promote Vault at Kitwe',
      '### 3. Restore the last log backups at Kitwe',
      '### 4. Promote Kitwe',
      '### 5. Move `loans.drill.lms.co.zm` to Kitwe\'s Gateway',
      '### 6. Verify `loans.drill.lms.co.zm` is served by Kitwe',
      '### 7. Record the new roles',
      '### Expected time',
    ]);
    expect(section(failover, '### 3. Restore the last log backups at Kitwe', '### 4.')).toBe(
      '### 3. Restore the last log backups at Kitwe\n\n_data, about 25 min_ (`sql-server.restore-log-backups`)\n\nRestore every log backup MinIO replicated to Kitwe, then bring the database online.\n',
    );
    expect(failover).toContain('| **until `loans.drill.lms.co.zm` is served by Kitwe** | **112** |');
    expect(failover).toContain('112 min is within the recovery time objective of 2h (120 min), leaving 8 min for diagnosis and the decision to fail over.');
    const failBack = section(markdown, '## Fail back: Kitwe to Lusaka', '### Expected time');
    expect(failBack).toContain('### 2. Resynchronise MinIO at Lusaka\n');
  });

  test('steps that outgrow the recovery time objective are called out', () => {
    const markdown = failoverRunbook(drill(), [step({ expectedMinutes: 60 })]);
    expect(markdown).toContain('**137 min is above the recovery time objective of 2h (120 min).** Shorten the steps or rehearse them until they fit.');
  });

  const invalid: [string, Partial<RunbookStep>, string][] = [
    ['an unknown procedure', { procedure: 'drill' as never }, 'failoverRunbook drill: runbookSteps[1].procedure: "drill" is not allowed (allowed: failover, fail-back)'],
    ['an unknown phase', { phase: 'cleanup' as never }, 'failoverRunbook drill: runbookSteps[1].phase: "cleanup" is not allowed (allowed: assess, data, promote, traffic, verify, finish)'],
    ['an id that is not words', { id: 'Restore Logs' }, 'failoverRunbook drill: runbookSteps[1].id: "Restore Logs" is not allowed (allowed: lower-case words joined by "." or "-", e.g. "sql-server.restore-log-backups")'],
    ['an id contributed twice', { id: 'sql-server.restore-log-backups' }, 'failoverRunbook drill: runbookSteps[1].id: "sql-server.restore-log-backups" is already a step of the failover procedure (allowed: each step id once per procedure)'],
    ['an id of the runbook\'s own steps', { id: 'dns.move-public-record' }, 'failoverRunbook drill: runbookSteps[1].id: "dns.move-public-record" is already a step of the failover procedure (allowed: each step id once per procedure)'],
    ['no title', { id: 'minio.check', title: '' }, 'failoverRunbook drill: runbookSteps[1].title: "" is not allowed (allowed: a short imperative sentence)'],
    ['minutes that are not whole', { id: 'minio.check', expectedMinutes: 2.5 }, 'failoverRunbook drill: runbookSteps[1].expectedMinutes: 2.5 is not allowed (allowed: a whole number of minutes, 0 or more)'],
  ];
  test.each(invalid)('a contributed step with %s is refused', (_name, overrides, message) => {
    expect(() => failoverRunbook(drill(), [step({}), step(overrides)])).toThrow(new PlatformError(message));
  });

  test('one id may serve both procedures', () => {
    expect(() => failoverRunbook(drill(), [step({}), step({ procedure: 'fail-back' })])).not.toThrow();
  });
});

describe('runbook steps from the construct tree, and the files the synth writes', () => {
  class Contributor extends Construct {
    constructor(scope: Construct, id: string, public readonly runbookSteps: readonly RunbookStep[]) {
      super(scope, id);
    }
  }

  test('every construct with runbookSteps under the given scopes, in tree order', () => {
    const root = new Construct(undefined as unknown as Construct, '');
    const lusaka = new Construct(root, 'drill-lusaka-apps');
    const kitwe = new Construct(root, 'drill-kitwe-apps');
    new Contributor(new Construct(kitwe, 'data'), 'sql-server', [step({})]);
    new Contributor(lusaka, 'minio', [step({ id: 'minio.check' })]);
    new Construct(lusaka, 'plain');
    expect(runbookStepsOf([lusaka, kitwe]).map((s) => s.id)).toEqual(['minio.check', 'sql-server.restore-log-backups']);
    expect(runbookStepsOf([lusaka]).map((s) => s.id)).toEqual(['minio.check']);
  });

  test('writes runbooks/<environment>-failover.md for each environment', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-runbooks-'));
    try {
      const root = new Construct(undefined as unknown as Construct, '');
      new Contributor(root, 'sql-server', [step({})]);
      writeRunbooks(outdir, [drill()], () => [root]);
      expect(fs.readdirSync(path.join(outdir, 'runbooks'))).toEqual([runbookFileName('drill')]);
      expect(runbookFileName('drill')).toBe('drill-failover.md');
      expect(fs.readFileSync(path.join(outdir, 'runbooks', 'drill-failover.md'), 'utf8')).toBe(failoverRunbook(drill(), [step({})]));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

const EXPECTED_MANUAL = `# Failover runbook: drill

Written by \`npm run synth\` from \`environments/drill.ts\` and the platform's components. Do not edit it: change them and synthesize again.

| | |
|---|---|
| Public host name | \`loans.drill.lms.co.zm\` |
| Primary site | Lusaka (Lusaka DC), Gateway address \`10.12.240.1\` |
| Disaster-recovery site | Kitwe (Kitwe DC), Gateway address \`10.22.240.1\` |
| Public DNS record | \`loans.drill.lms.co.zm.\` A \`10.12.240.1\`, TTL 120 s, zone \`drill.lms.co.zm\`, primary name server \`ns1.lms.co.zm\` |
| How the record moves | changed by the DNS administrators on a change request |
| Recovery time objective | 2h |
| Recovery point objective | 30m |

\`loans.drill.lms.co.zm\` points at the primary site's Gateway. A failover promotes Kitwe and then moves the name to Kitwe's Gateway. Nothing moves it on its own: external-dns is not deployed, because the bank's change process expects each DNS change to be made under an approved change, and the change request below makes the change exact and repeatable.

## Before you start

Work from a checkout of this repository at the commit deployed last, with \`npm ci\` done. Each site has its own deploy identity and state (README, "Deploying"); the shell functions below reach each cluster with \`kubectl\`:

\`\`\`sh
lusaka() { kubectl --context drill-lusaka "$@"; }
# Kitwe: KITWE_TOKEN and kitwe-ca.crt hold its deploy identity's token and its cluster's CA certificate, from Vault as a deploy job gets them
kitwe() { kubectl --server https://api.drill.kitwe.lms.co.zm:6443 --certificate-authority kitwe-ca.crt --token "$KITWE_TOKEN" "$@"; }
\`\`\`

## Failover: Lusaka to Kitwe

When Lusaka cannot serve (site lost, or down longer than the recovery time objective allows), Kitwe takes over. Do the steps in order; each says how to check it before the next.

### 1. Declare the failover to Kitwe

_assess, about 15 min_ (\`platform.declare\`)

Confirm Lusaka cannot serve: \`loans.drill.lms.co.zm\` fails its checks and Lusaka's cluster or Gateway (\`10.12.240.1\`) does not answer. Open the emergency change with the incident number; the DNS change below is made under it.

Check Kitwe is healthy before anything moves:

\`\`\`sh
kitwe get nodes
kitwe -n lms-apps get deployment loan-service
\`\`\`

### 2. Promote Kitwe

_promote, about 20 min_ (\`platform.promote\`)

1. In \`environments/drill.ts\`, swap the roles: \`sites.kitwe.role: 'primary'\` and \`sites.lusaka.role: 'disaster-recovery'\`.
2. Run \`npm run synth\`. It checks that Kitwe, once promoted, runs at least Lusaka's loan-service replica count (FailoverCapacity) and that its apps quota holds them; if the synth fails there, Kitwe cannot carry the load: stop and escalate.
3. Deploy Kitwe's stacks, with Kitwe's \`KUBE_TOKEN\` and \`KUBE_CLUSTER_CA_CERT_DATA\`, and \`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\` of its state store in the environment. Their state is kept at Kitwe (\`https://state.drill.kitwe.lms.co.zm\`, bucket \`drill-state-kitwe\`), so they plan and apply with Lusaka gone; the apps stack changes (the loan-service's replica count), the data stack (bucket replication and its heartbeat now run from Kitwe to Lusaka; the replication Job retries until Lusaka answers) and the observability stack (the alert rules of its new role):

   \`\`\`sh
   npx cdktf deploy drill-kitwe-base drill-kitwe-traffic drill-kitwe-security drill-kitwe-data drill-kitwe-observability drill-kitwe-apps
   \`\`\`

4. Wait until the loan-service runs 2 ready replicas at Kitwe:

   \`\`\`sh
   kitwe -n lms-apps get hpa loan-service -o jsonpath='{.spec.minReplicas}'   # 2
   kitwe -n lms-apps rollout status deployment/loan-service --timeout=10m
   \`\`\`

### 3. Move \`loans.drill.lms.co.zm\` to Kitwe's Gateway

_traffic, about 30 min_ (\`dns.move-public-record\`)

Send the DNS administrators this change, under the change opened above:

| | |
|---|---|
| Zone | \`drill.lms.co.zm\` (primary name server \`ns1.lms.co.zm\`) |
| Name | \`loans.drill.lms.co.zm.\` (\`loans\` in the zone) |
| Type | A |
| Old value | \`10.12.240.1\` (Lusaka's Gateway) |
| New value | \`10.22.240.1\` (Kitwe's Gateway) |
| TTL | 120 |

The record keeps one address: the old one is replaced, not joined by the new one. Continue once \`ns1.lms.co.zm\` answers with the new value (next step).

### 4. Verify \`loans.drill.lms.co.zm\` is served by Kitwe

_verify, about 10 min_ (\`platform.verify\`)

1. The zone's primary server answers with Kitwe's address and the TTL:

   \`\`\`sh
   dig +norecurse @ns1.lms.co.zm loans.drill.lms.co.zm. A   # loans.drill.lms.co.zm. 120 IN A 10.22.240.1
   \`\`\`

2. The loan-service answers through Kitwe's Gateway (\`CA_BUNDLE\` is a file holding the drill environment's internal root CA certificate):

   \`\`\`sh
   curl --fail --silent --show-error --cacert "$CA_BUNDLE" --resolve loans.drill.lms.co.zm:443:10.22.240.1 https://loans.drill.lms.co.zm/readyz
   \`\`\`

3. After 120 s, the bank's resolvers give the new address too (\`dig loans.drill.lms.co.zm A\` from a branch network), and the same \`curl\` without \`--resolve\` succeeds.

### 5. Record the new roles

_finish, about 10 min_ (\`platform.record-roles\`)

Merge the role change in \`environments/drill.ts\` to the main branch under the change, so every later deploy, Lusaka's included when it returns, uses the new roles: Lusaka's stacks then make it the disaster-recovery site (\`drill-lusaka-base\`, \`drill-lusaka-traffic\`, \`drill-lusaka-security\`, \`drill-lusaka-data\`, \`drill-lusaka-observability\`, \`drill-lusaka-apps\`). Never deploy Lusaka from a checkout made before the failover.

### Expected time

| step | minutes |
|---|---:|
| 1. Declare the failover to Kitwe | 15 |
| 2. Promote Kitwe | 20 |
| 3. Move \`loans.drill.lms.co.zm\` to Kitwe's Gateway | 30 |
| 4. Verify \`loans.drill.lms.co.zm\` is served by Kitwe | 10 |
| Resolvers holding the old address (TTL 120 s) | 2 |
| **until \`loans.drill.lms.co.zm\` is served by Kitwe** | **77** |
| 5. Record the new roles (afterwards) | 10 |

77 min is within the recovery time objective of 2h (120 min), leaving 43 min for diagnosis and the decision to fail over.

## Fail back: Kitwe to Lusaka

Once Lusaka is rebuilt and its data has caught up with Kitwe, the roles go back. The procedure is the failover's, in the other direction, with Kitwe kept serving until Lusaka is ready.

### 1. Decide to fail back to Lusaka

_assess, about 15 min_ (\`platform.declare\`)

Lusaka is back: its cluster answers, its stacks plan with no change as disaster-recovery site, and its data has caught up with Kitwe. Open the change for the fail back; the public name moves back under it.

\`\`\`sh
lusaka get nodes
\`\`\`

### 2. Promote Lusaka

_promote, about 20 min_ (\`platform.promote\`)

1. In \`environments/drill.ts\`, swap the roles: \`sites.lusaka.role: 'primary'\` and \`sites.kitwe.role: 'disaster-recovery'\`.
2. Run \`npm run synth\`. It checks that Lusaka, once promoted, runs at least Kitwe's loan-service replica count (FailoverCapacity) and that its apps quota holds them; if the synth fails there, Lusaka cannot carry the load: stop and escalate.
3. Deploy Lusaka's stacks, with \`KUBE_CONFIG_PATH\` naming a kubeconfig with context \`drill-lusaka\` in the environment. Their state is kept in \`.terraform-state\`, so they plan and apply without touching Kitwe; the apps stack changes (the loan-service's replica count), the data stack (bucket replication and its heartbeat now run from Lusaka to Kitwe) and the observability stack (the alert rules of its new role):

   \`\`\`sh
   npx cdktf deploy drill-lusaka-base drill-lusaka-traffic drill-lusaka-security drill-lusaka-data drill-lusaka-observability drill-lusaka-apps
   \`\`\`

4. Wait until the loan-service runs 2 ready replicas at Lusaka:

   \`\`\`sh
   lusaka -n lms-apps get hpa loan-service -o jsonpath='{.spec.minReplicas}'   # 2
   lusaka -n lms-apps rollout status deployment/loan-service --timeout=10m
   \`\`\`

### 3. Move \`loans.drill.lms.co.zm\` to Lusaka's Gateway

_traffic, about 30 min_ (\`dns.move-public-record\`)

Send the DNS administrators this change, under the change opened above:

| | |
|---|---|
| Zone | \`drill.lms.co.zm\` (primary name server \`ns1.lms.co.zm\`) |
| Name | \`loans.drill.lms.co.zm.\` (\`loans\` in the zone) |
| Type | A |
| Old value | \`10.22.240.1\` (Kitwe's Gateway) |
| New value | \`10.12.240.1\` (Lusaka's Gateway) |
| TTL | 120 |

The record keeps one address: the old one is replaced, not joined by the new one. Continue once \`ns1.lms.co.zm\` answers with the new value (next step).

### 4. Verify \`loans.drill.lms.co.zm\` is served by Lusaka

_verify, about 10 min_ (\`platform.verify\`)

1. The zone's primary server answers with Lusaka's address and the TTL:

   \`\`\`sh
   dig +norecurse @ns1.lms.co.zm loans.drill.lms.co.zm. A   # loans.drill.lms.co.zm. 120 IN A 10.12.240.1
   \`\`\`

2. The loan-service answers through Lusaka's Gateway (\`CA_BUNDLE\` is a file holding the drill environment's internal root CA certificate):

   \`\`\`sh
   curl --fail --silent --show-error --cacert "$CA_BUNDLE" --resolve loans.drill.lms.co.zm:443:10.12.240.1 https://loans.drill.lms.co.zm/readyz
   \`\`\`

3. After 120 s, the bank's resolvers give the new address too (\`dig loans.drill.lms.co.zm A\` from a branch network), and the same \`curl\` without \`--resolve\` succeeds.

### 5. Return Kitwe to standby

_finish, about 15 min_ (\`platform.return-to-standby\`)

After the TTL has passed and Kitwe's Gateway no longer receives requests, deploy Kitwe's stacks (with Kitwe's \`KUBE_TOKEN\` and \`KUBE_CLUSTER_CA_CERT_DATA\`, and \`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\` of its state store in the environment); its loan-service goes back to the standby replica count (1):

\`\`\`sh
npx cdktf deploy drill-kitwe-base drill-kitwe-traffic drill-kitwe-security drill-kitwe-data drill-kitwe-observability drill-kitwe-apps
\`\`\`

Merge the role change in \`environments/drill.ts\` to the main branch under the change.

### Expected time

| step | minutes |
|---|---:|
| 1. Decide to fail back to Lusaka | 15 |
| 2. Promote Lusaka | 20 |
| 3. Move \`loans.drill.lms.co.zm\` to Lusaka's Gateway | 30 |
| 4. Verify \`loans.drill.lms.co.zm\` is served by Lusaka | 10 |
| Resolvers holding the old address (TTL 120 s) | 2 |
| **until \`loans.drill.lms.co.zm\` is served by Lusaka** | **77** |
| 5. Return Kitwe to standby (afterwards) | 15 |

77 min is within the recovery time objective of 2h (120 min), leaving 43 min for diagnosis and the decision to fail back.

`;
