import type { Duration } from './duration';
import type { RunbookProcedure, RunbookStep } from './runbook-step';
import { VAULT_API_PORT, VAULT_RELEASE, type VaultUnseal } from './vault-cluster';

/** Everything the restore steps name, resolved by `VaultSnapshots`. */
export interface VaultRestoreFacts {
  /** `failover` at the disaster-recovery site, `fail-back` at the primary. */
  readonly procedure: RunbookProcedure;
  readonly environmentName: string;
  /** The site whose Vault is restored (its kubectl function in the runbook has its name). */
  readonly restoreAt: string;
  /** The site whose snapshots are restored. */
  readonly snapshotsOf: string;
  /** Vault's namespace. */
  readonly namespace: string;
  readonly bucket: string;
  /** The object store's in-cluster Service at `restoreAt`. */
  readonly store: { readonly service: string; readonly namespace: string; readonly host: string; readonly port: number };
  /** The Secret whose `ca.crt` verifies Vault's and the store's TLS. */
  readonly caSecret: string;
  /** `kv/production/vault-snapshot`: the store's access key. */
  readonly kvSecret: string;
  readonly secretKeys: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The snapshot job's Vault role and service account: the login that proves the restore. */
  readonly role: string;
  readonly serviceAccount: string;
  readonly replicas: number;
  readonly unseal: VaultUnseal;
  readonly schedule: string;
  readonly worstCaseDataLoss: Duration;
}

/**
 * The runbook steps that bring `snapshotsOf`'s Vault data up at `restoreAt`: fetch the newest
 * snapshot from the replicated bucket, restore it with `-force`, unseal with the snapshot
 * site's keys, and check. Exact commands with the real names.
 */
export function vaultSnapshotRunbookSteps(facts: VaultRestoreFacts): RunbookStep[] {
  const { procedure, restoreAt: at, snapshotsOf: from, namespace: ns, store } = facts;
  const At = title(at);
  const From = title(from);
  const active = `${VAULT_RELEASE}-active`;
  const storeAddress = `${store.host}:${store.port}`;
  const mc = `mc --config-dir mc --resolve ${storeAddress}=127.0.0.1`;
  const prefix = `${at}/${facts.bucket}/${from}/`;
  const pods = Array.from({ length: facts.replicas }, (_, index) => `${VAULT_RELEASE}-${index}`);
  const base = { procedure, phase: 'data' as const };

  const fetch: RunbookStep = {
    ...base,
    id: 'vault.fetch-newest-snapshot',
    order: 10,
    title: `Fetch ${From}'s newest Vault snapshot at ${At}`,
    expectedMinutes: 10,
    body: [
      `${From}'s Vault saved a Raft snapshot on schedule \`${facts.schedule}\` into bucket \`${facts.bucket}\` under \`${from}/\`; bucket replication copied each to ${At}'s object store. ${At}'s Vault must be initialised and unsealed (\`${at} -n ${ns} exec ${VAULT_RELEASE}-0 -- vault status\` shows \`Initialized true\` and \`Sealed false\`).`,
      '',
      `In an empty working directory, with \`vault\`, \`mc\` and \`kubectl\`, and \`VAULT_TOKEN\` a token of ${At}'s Vault that may read \`${facts.kvSecret}\` and restore snapshots (its root token):`,
      '',
      '```sh',
      'set -euo pipefail',
      'umask 077',
      `${at} -n ${ns} get secret ${facts.caSecret} -o jsonpath='{.data.ca\\.crt}' | base64 -d > site-ca.crt`,
      `${at} -n ${ns} port-forward service/${active} ${VAULT_API_PORT}:${VAULT_API_PORT} >/dev/null &`,
      `${at} -n ${store.namespace} port-forward service/${store.service} ${store.port}:${store.port} >/dev/null &`,
      `export VAULT_ADDR=https://127.0.0.1:${VAULT_API_PORT} VAULT_CACERT=site-ca.crt VAULT_TLS_SERVER_NAME=${active}.${ns}.svc`,
      'mkdir -p mc/certs/CAs && cp site-ca.crt mc/certs/CAs/',
      `export MC_HOST_${at}="https://$(vault kv get -field=${facts.secretKeys.accessKeyId} ${facts.kvSecret}):$(vault kv get -field=${facts.secretKeys.secretAccessKey} ${facts.kvSecret})@${storeAddress}"`,
      `newest="$(${mc} ls ${prefix} | awk '{print $NF}' | grep -E '^vault-[0-9]{8}T[0-9]{6}Z\\.snap$' | sort | tail -n 1)"`,
      `${mc} cp "${prefix}$newest" "$newest"`,
      'echo "$newest"',
      '```',
      '',
      `The name is the snapshot's time in UTC (\`vault-20250301T101500Z.snap\`: saved at 10:15:00 UTC on 1 March 2025). If nothing is listed, replication has not delivered any snapshot: stop and escalate, ${At}'s Vault cannot get ${From}'s secrets another way.`,
    ].join('\n'),
  };

  const unsealText =
    facts.unseal.kind === 'shamir'
      ? [
          `The restored data is sealed with **${From}'s** keys: from now on ${At}'s servers unseal with ${From}'s key shares, and ${At}'s own shares no longer open them. Each server that shows \`Sealed true\` (each after its next restart) needs ${facts.unseal.keyThreshold} of the ${facts.unseal.keyShares} custodians of ${From}'s shares (${facts.unseal.custodians.join(', ')}) to enter them, on each server:`,
          '',
          '```sh',
          ...pods.map((pod) => `${at} -n ${ns} exec -ti ${pod} -- vault operator unseal   # repeat until Sealed false`),
          '```',
        ]
      : [
          `Both sites unseal through the same transit key \`${facts.unseal.keyName}\` of \`${facts.unseal.address}\` (mount \`${facts.unseal.mountPath}\`), which also wraps ${From}'s keys in the snapshot: the servers unseal themselves. Check that each reports \`Sealed false\`; if one stays sealed, the transit Vault or its token at ${At} is the problem, not the snapshot.`,
        ];
  const restore: RunbookStep = {
    ...base,
    id: 'vault.restore-snapshot',
    order: 11,
    title: `Restore ${From}'s Vault snapshot at ${At}`,
    expectedMinutes: facts.unseal.kind === 'shamir' ? 30 : 10,
    body: [
      `In the same shell: \`-force\` is needed because the snapshot comes from another Raft cluster (${From}'s), whose keys differ from ${At}'s. Everything ${At}'s Vault held is replaced.`,
      '',
      '```sh',
      'vault operator raft snapshot restore -force "$newest"',
      '```',
      '',
      ...unsealText,
      '',
      `Tokens of ${At}'s Vault from before the restore are gone, the one used above included: from here on use an operator token of ${From}'s Vault, or generate one with \`vault operator generate-root\` and ${From}'s ${facts.unseal.kind === 'shamir' ? 'key shares' : 'recovery keys'}.`,
    ].join('\n'),
  };

  const hours = facts.worstCaseDataLoss.toString();
  const verify: RunbookStep = {
    ...base,
    id: 'vault.verify-restore',
    order: 12,
    title: `Check ${At}'s Vault serves ${From}'s data`,
    expectedMinutes: 10,
    body: [
      `1. Every server is unsealed and in the Raft cluster:`,
      '',
      '   ```sh',
      ...pods.map((pod) => `   ${at} -n ${ns} exec ${pod} -- vault status   # Initialized true, Sealed false`),
      '   vault operator raft list-peers',
      '   ```',
      '',
      `2. A workload logs in with Kubernetes auth: the snapshot job's own role, \`${facts.role}\`, with a short-lived token of its service account:`,
      '',
      '   ```sh',
      `   vault write auth/kubernetes/login role=${facts.role} jwt="$(${at} -n ${ns} create token ${facts.serviceAccount} --duration=10m)"`,
      '   ```',
      '',
      `3. The recovery point: the snapshot's age when ${From} was lost is the Vault data lost. With schedule \`${facts.schedule}\` it is at most ${hours} (plus replication lag); compare the time in \`$newest\` with the time ${From} failed and record both in the incident. An age above ${hours} means ${From}'s snapshots or their replication had stopped: say so in the incident. Secrets written at ${From} after the snapshot are not at ${At}: re-enter or rotate them.`,
    ].join('\n'),
  };
  return [fetch, restore, verify];
}

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
