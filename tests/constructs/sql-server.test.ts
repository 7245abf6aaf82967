import { Testing } from 'cdktf';
import type { KubeObject } from '../../constructs/platform-component';
import { SqlServer, mssqlConf, sqlLoginSid, type SqlServerProps } from '../../constructs/sql-server';
import { buildPlatform } from '../../stacks/platform';
import { environmentNamed } from '../support/environments';
import { testScope } from '../support/fixtures';

const production = environmentNamed('production');
const sites = buildPlatform(Testing.app(), [production]);
const lusaka = sites.get('production-lusaka')!;
const kitwe = sites.get('production-kitwe')!;
const find = (objects: readonly KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name}`);
  return found as any;
};

describe('SqlServer: SQL Server 2022 at each site', () => {
  const server = lusaka.data.sqlServer;
  const statefulSet = find(server.objects, 'StatefulSet', 'sql-server');
  const pod = statefulSet.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.value]));

  test('one instance, its whole /var/opt/mssql on one volume, the image from the site registry by digest', () => {
    expect(statefulSet.spec.replicas).toBe(1);
    expect(container.image).toMatch(/^registry\.lms\.co\.zm\/mssql\/server:2022-CU21-ubuntu-22\.04@sha256:[0-9a-f]{64}$/);
    expect(statefulSet.spec.volumeClaimTemplates.map((claim: any) => [claim.metadata.name, claim.spec.resources.requests.storage])).toEqual([['data', '1Ti']]);
    expect(container.volumeMounts.map((mount: any) => [mount.name, mount.mountPath])).toEqual([
      ['data', '/var/opt/mssql'],
      ['config', '/var/opt/mssql/mssql.conf'],
      ['tls', '/etc/mssql-tls'],
      ['object-store-ca', '/var/opt/mssql/security/ca-certificates'],
      ['tmp', '/tmp'],
      ['pal-system', '/.system'],
    ]);
  });

  test('the mssql user, non-root, restricted; the critical data priority; a disruption budget', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.priorityClassName).toBe('lms-critical-data');
    expect(find(server.objects, 'PodDisruptionBudget', 'sql-server').spec.minAvailable).toBe(1);
    expect(find(server.objects, 'Service', 'sql-server').spec.clusterIP).toBe('None');
  });

  test('edition, Agent and memory limit (80 % of the container) from the environment; the SA password never in the spec', () => {
    expect(env).toEqual({
      ACCEPT_EULA: 'Y',
      MSSQL_PID: 'Enterprise',
      MSSQL_AGENT_ENABLED: 'true',
      MSSQL_MEMORY_LIMIT_MB: '26214',
      MSSQL_TCP_PORT: '1433',
      TZ: 'Etc/UTC',
      HOME: '/var/opt/mssql',
    });
    expect(container.resources.limits.memory).toBe('32Gi');
    expect(container.command[2]).toBe('set -eu; MSSQL_SA_PASSWORD="$(cat /vault/secrets/sa-password)"; export MSSQL_SA_PASSWORD; exec /opt/mssql/bin/sqlservr');
    expect(statefulSet.spec.template.metadata.annotations['vault.hashicorp.com/agent-inject-secret-sa-password']).toBe('kv/data/production/sql-server');
    expect(JSON.stringify(server.objects)).not.toContain('"name":"MSSQL_SA_PASSWORD"');
  });

  test('TLS forced with the site certificate, readiness through a real query', () => {
    expect(find(server.objects, 'ConfigMap', 'sql-server').data['mssql.conf']).toBe(mssqlConf(26214));
    expect(mssqlConf(3276)).toContain('forceencryption = 1\n');
    expect(find(server.objects, 'Certificate', 'sql-server').spec.dnsNames).toEqual([
      'sql-server.lms-data.svc.cluster.local',
      'sql-server.lms-data.svc',
      'sql-server-0.sql-server.lms-data.svc.cluster.local',
    ]);
    expect(container.readinessProbe.exec.command[2]).toBe(
      'SQLCMDPASSWORD="$(cat /vault/secrets/sa-password)" /opt/mssql-tools18/bin/sqlcmd -S tcp:127.0.0.1,1433 -U sa -C -b -l 5 -h -1 -Q "SET NOCOUNT ON; SELECT 1" > /dev/null',
    );
  });

  test('only the loan-service and the log-shipping jobs connect; SQL Server dials only MinIO and Vault', () => {
    const policy = find(server.objects, 'NetworkPolicy', 'sql-server').spec;
    expect(policy.ingress[0].from.map((peer: any) => [peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'], peer.podSelector.matchLabels['app.kubernetes.io/name']])).toEqual([
      ['lms-apps', 'loan-service'],
      ['lms-data', 'sql-server-jobs'],
    ]);
    expect(policy.egress.map((rule: any) => rule.ports.map((port: any) => port.port).join(','))).toEqual(['9000', '8200', '53,53']);
  });

  test('the loan-service takes the typed database reference', () => {
    expect(lusaka.apps.loanService.database).toEqual(server.database('loan_service'));
    expect(server.database('loan_service')).toEqual({
      server: { host: 'sql-server.lms-data.svc.cluster.local', port: 1433, peer: { namespace: 'lms-data', podLabels: { 'app.kubernetes.io/name': 'sql-server' }, port: 1433 } },
      name: 'lms',
      user: 'loan_service',
    });
    expect(() => server.database('reports')).toThrow('SqlServer production-lusaka-data/sql-server: database(login): "reports" is not allowed (allowed: one of its logins: loan_service, log_shipping)');
  });

  test('logins have the same SID at both sites and a different one in each environment', () => {
    expect(lusaka.data.sqlServer.logins.map((login) => login.sid)).toEqual(kitwe.data.sqlServer.logins.map((login) => login.sid));
    expect(sqlLoginSid('production', 'loan_service')).toMatch(/^0x[0-9A-F]{32}$/);
    expect(sqlLoginSid('production', 'loan_service')).not.toBe(sqlLoginSid('staging', 'loan_service'));
    expect(lusaka.data.sqlServer.logins.map((login) => [login.name, login.serverRoles, login.databaseRoles])).toEqual([
      ['loan_service', [], ['db_datareader', 'db_datawriter', 'db_ddladmin']],
      ['log_shipping', ['dbcreator'], ['db_backupoperator']],
    ]);
  });

  describe('bad props', () => {
    const props = (): SqlServerProps => {
      const server = lusaka.data.sqlServer;
      return {
        cluster: server.cluster,
        environmentName: 'production',
        registry: 'registry.lusaka.lms.co.zm',
        issuers: lusaka.traffic.certManager.issuers,
        edition: 'Enterprise',
        resources: { cpuRequest: '1', memoryRequest: '4Gi', cpuLimit: '2', memoryLimit: '4Gi' },
        volumeSize: '100Gi',
        storageClassName: 'ssd-standard',
        vault: server.vault,
        objectStore: server.objectStore,
        database: 'lms',
        logins: [],
        clients: [],
      };
    };
    const build = (change: Partial<SqlServerProps>) => () => new SqlServer(testScope('test-lusaka-data'), 'sql-server', { ...props(), ...change });

    test('each names the prop, the value and what is allowed', () => {
      expect(build({})).not.toThrow();
      expect(build({ edition: 'Express' })).toThrow('SqlServer test-lusaka-data/sql-server: edition: "Express" is not allowed (allowed: Standard, Enterprise or Developer (Express cannot back up to S3, which log shipping needs))');
      expect(build({ resources: { cpuRequest: '1', memoryRequest: '2Gi', cpuLimit: '2', memoryLimit: '3Gi' } })).toThrow(
        'SqlServer test-lusaka-data/sql-server: resources.memoryLimit: "3Gi" is not allowed (allowed: at least "4Gi", the least SQL Server 2022 on Linux is supported with)',
      );
      expect(build({ database: 'lms-prod' })).toThrow('SqlServer test-lusaka-data/sql-server: database: "lms-prod" is not allowed (allowed: a database name of letters, digits and "_", starting with a letter or "_", at most 64 characters)');
      const password = { secret: lusaka.data.sqlServer.saPassword.secret, key: 'x' };
      expect(build({ logins: [{ name: 'log_shipping', password, databaseRoles: [] }] })).toThrow(
        'SqlServer test-lusaka-data/sql-server: logins[1].name: "log_shipping" is not allowed (allowed: a name no other login has (log_shipping is the log-shipping jobs\' own))',
      );
      expect(build({ logins: [{ name: 'sa', password, databaseRoles: [] }] })).toThrow('SqlServer test-lusaka-data/sql-server: logins[0].name: "sa" is not allowed (allowed: a login name of letters, digits and "_", starting with a letter or "_", not "sa")');
    });
  });
});
