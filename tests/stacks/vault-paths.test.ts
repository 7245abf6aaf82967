import { Testing } from 'cdktf';
import type { KubeObject } from '../../constructs/platform-component';
import { buildPlatform, layerStacks } from '../../stacks/platform';
import { failoverRunbook, runbookStepsOf } from '../../stacks/runbook';
import { ENVIRONMENTS } from '../support/environments';

/** A pod template the Vault agent injector acts on, with who it runs as and what it names. */
interface InjectedPod {
  readonly owner: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly role: string;
  /** Every Vault path its annotations name (`agent-inject-secret-*`). */
  readonly paths: readonly string[];
}

function podTemplate(object: KubeObject): { metadata?: { annotations?: Record<string, string> }; spec?: { serviceAccountName?: string } } | undefined {
  const spec = object.spec as any;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec?.template;
  return spec?.template;
}

function injectedPods(objects: readonly KubeObject[]): InjectedPod[] {
  return objects.flatMap((object) => {
    const template = podTemplate(object);
    const annotations = template?.metadata?.annotations ?? {};
    if (annotations['vault.hashicorp.com/agent-inject'] !== 'true') return [];
    return [
      {
        owner: `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`,
        namespace: object.metadata.namespace!,
        serviceAccount: template!.spec!.serviceAccountName!,
        role: annotations['vault.hashicorp.com/role'],
        paths: [...new Set(Object.entries(annotations).filter(([key]) => key.startsWith('vault.hashicorp.com/agent-inject-secret-')).map(([, value]) => value))].sort(),
      },
    ];
  });
}

/** `path "x" { capabilities = [...] }` blocks of a policy, as path -> capabilities. */
function policyPaths(hcl: string): Record<string, string[]> {
  return Object.fromEntries([...hcl.matchAll(/path "([^"]+)" \{\n  capabilities = \[([^\]]*)\]\n\}/g)].map((match) => [match[1], JSON.parse(`[${match[2]}]`)]));
}

/**
 * The promise of the Vault configuration, checked on what Terraform would apply: every pod
 * that gets a Vault agent logs in with a role bound to exactly its own service account, whose
 * policy grants exactly the paths its annotations name (and their metadata), and nothing is
 * granted that no pod names.
 */
/**
 * Pods a Helm release renders, whose annotations the platform sets through the chart's values
 * (the release's helm-template test checks they reach the pods, and their service accounts).
 */
function releasePods(site: ReturnType<typeof buildPlatform> extends Map<string, infer S> ? S : never): InjectedPod[] {
  const monitoring = site.observability.monitoring;
  const values = monitoring.values as any;
  const pod = (owner: string, serviceAccount: string, annotations: Record<string, string>): InjectedPod => ({
    owner,
    namespace: monitoring.namespace,
    serviceAccount,
    role: annotations['vault.hashicorp.com/role'],
    paths: [...new Set(Object.entries(annotations).filter(([key]) => key.startsWith('vault.hashicorp.com/agent-inject-secret-')).map(([, value]) => value))].sort(),
  });
  return [
    pod(`Deployment/${monitoring.namespace}/monitoring-grafana`, 'monitoring-grafana', values.grafana.podAnnotations),
    pod(`Alertmanager/${monitoring.namespace}/monitoring-alertmanager`, 'monitoring-alertmanager', values.alertmanager.alertmanagerSpec.podMetadata.annotations),
  ];
}

describe.each(ENVIRONMENTS.map((environment) => [environment.name, environment] as const))('Vault paths of %s', (_name, environment) => {
  const sites = buildPlatform(Testing.app(), [environment]);

  test.each([...sites.entries()])('%s: each pod\'s role grants exactly the paths it names, and every role serves a pod', (_site, site) => {
    const pods = [...injectedPods(layerStacks(site).flatMap((stack) => stack.components.flatMap((component) => component.objects))), ...releasePods(site)];
    const buckets = site.data.buckets.jobName;
    const primary = environment.sites[site.data.minio.siteName as 'lusaka' | 'kitwe'].role === 'primary';
    const replication = primary ? (site.data.stack.node.findChild('bucket-replication') as unknown as { setupJobName: string }).setupJobName : undefined;
    expect(pods.map((pod) => pod.owner).sort()).toEqual(
      [
        'CronJob/lms-security/vault-snapshot',
        'CronJob/lms-observability/elasticsearch-setup',
        `Job/lms-observability/${site.observability.elasticsearchSetup.jobName}`,
        'Deployment/lms-observability/monitoring-grafana',
        'Alertmanager/lms-observability/monitoring-alertmanager',
        'Deployment/lms-apps/loan-service',
        'StatefulSet/lms-data/minio-pool-0',
        'CronJob/lms-data/object-store-buckets',
        `Job/lms-data/${buckets}`,
        'CronJob/lms-data/object-store-users',
        `Job/lms-data/${site.data.users.jobName}`,
        ...(replication ? ['CronJob/lms-data/object-store-replication', `Job/lms-data/${replication}`, 'Deployment/lms-data/replication-heartbeat-writer'] : ['Deployment/lms-data/replication-heartbeat-reader']),
        'StatefulSet/lms-data/sql-server',
        'CronJob/lms-data/sql-server-setup',
        `Job/lms-data/${(site.data.stack.node.findChild('sql-server-jobs') as unknown as { setupJobName: string }).setupJobName}`,
        'Deployment/lms-data/sql-server-log-shipping-metrics',
        ...(primary
          ? ['backup-log', 'backup-differential', 'backup-full', 'backup-tail-log'].map((job) => `CronJob/lms-data/sql-server-${job}`)
          : ['restore', 'recover', 'reseed'].map((job) => `CronJob/lms-data/sql-server-${job}`)),
      ].sort(),
    );
    const synthesized = JSON.parse(Testing.synth(site.vaultConfig));
    const policies = Object.values(synthesized.resource.vault_policy as Record<string, { name: string; policy: string }>);
    const roles = Object.values(synthesized.resource.vault_kubernetes_auth_backend_role as Record<string, any>);
    // A Job and the CronJob that repeats it share one role.
    expect(roles.map((role) => role.role_name).sort()).toEqual([...new Set(pods.map((pod) => pod.role))].sort());
    // Policies without a role are the operators' tasks' only.
    expect(policies.map((policy) => policy.name).filter((name) => !roles.some((role) => role.role_name === name))).toEqual(environment.traffic.dnsFailover.tsigKeyVaultPath ? ['failover-dns'] : []);

    for (const pod of pods) {
      const role = roles.find((candidate) => candidate.role_name === pod.role);
      expect({ owner: pod.owner, accounts: role.bound_service_account_names, namespaces: role.bound_service_account_namespaces }).toEqual({
        owner: pod.owner,
        accounts: [pod.serviceAccount],
        namespaces: [pod.namespace],
      });
      // The role's only policy is the one of the same name (a Terraform reference to it).
      expect(role.token_policies).toEqual([expect.stringMatching(new RegExp(`^\\$\\{vault_policy\\.configuration_policy-${pod.role}_[0-9A-F]+\\.name\\}$`))]);
      const policy = policies.find((candidate) => candidate.name === pod.role)!;
      const granted = policyPaths(policy.policy);
      const kvData = Object.keys(granted).filter((path) => /^kv\/data\//.test(path));
      expect({ owner: pod.owner, paths: kvData.sort() }).toEqual({ owner: pod.owner, paths: pod.paths });
      // Its metadata read-only; any other path is a declared system path, never a wildcard.
      for (const path of pod.paths) expect(granted[path.replace('/data/', '/metadata/')]).toEqual(['read']);
      const others = Object.keys(granted).filter((path) => !/^kv\/(data|metadata)\//.test(path));
      expect(others.filter((path) => /[*+]/.test(path))).toEqual([]);
      expect(others).toEqual(pod.role === 'vault-snapshot' ? ['sys/storage/raft/snapshot'] : []);
    }
  });

  test('every secret the failover runbook has operators read is granted by a policy at both sites, the DNS key by exactly its own', () => {
    const runbook = failoverRunbook(environment, runbookStepsOf([...sites.values()].flatMap(layerStacks)));
    const named = [...new Set([...runbook.matchAll(/\bkv\/(?:data\/)?([a-z0-9][a-z0-9_/-]*[a-z0-9])/g)].map((match) => `kv/data/${match[1]}`))].sort();
    expect(named).toEqual(
      [`kv/data/${environment.name}/vault-snapshot`, ...(environment.traffic.dnsFailover.tsigKeyVaultPath ? [environment.traffic.dnsFailover.tsigKeyVaultPath.replace(/^kv\//, 'kv/data/')] : [])].sort(),
    );
    for (const site of sites.values()) {
      const policies = Object.values(JSON.parse(Testing.synth(site.vaultConfig)).resource.vault_policy as Record<string, { name: string; policy: string }>);
      for (const path of named) expect({ path, granted: policies.some((policy) => policyPaths(policy.policy)[path]?.includes('read')) }).toEqual({ path, granted: true });
      const dns = policies.find((policy) => policy.name === 'failover-dns');
      const key = environment.traffic.dnsFailover.tsigKeyVaultPath?.replace(/^kv\//, 'kv/data/');
      expect(dns && policyPaths(dns.policy)).toEqual(key && { [key]: ['read'], [key.replace('/data/', '/metadata/')]: ['read'] });
    }
  });

  test('each site\'s stacks name only the environment\'s own secrets', () => {
    for (const site of sites.values()) {
      const text = layerStacks(site)
        .flatMap((stack) => stack.components.flatMap((component) => component.objects))
        .map((object) => JSON.stringify(object))
        .join('\n');
      const named = [...new Set([...text.matchAll(/kv\/data\/([a-z0-9-]+)\//g)].map((match) => match[1]))];
      expect(named).toEqual([environment.name]);
    }
  });
});
