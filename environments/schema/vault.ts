import { z } from 'zod';
import { RUN_ALWAYS, dnsLabel, kindError, parsedFields, strict } from './common';
import { privateIpv4Cidr } from './network';
import { inCountryEndpoint } from './sovereignty';

/** A five-field cron schedule (minute hour day-of-month month day-of-week), e.g. `0 * * * *`. */
const CRON_FIELD = /^(\*|[0-9]{1,2}(-[0-9]{1,2})?)(\/[0-9]{1,2})?(,(\*|[0-9]{1,2}(-[0-9]{1,2})?)(\/[0-9]{1,2})?)*$/;
export const cronSchedule = z.string().refine((value) => value.split(' ').length === 5 && value.split(' ').every((field) => CRON_FIELD.test(field)), {
  error: (issue) => `${JSON.stringify(issue.input)} is not a cron schedule (allowed: five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, e.g. "0 * * * *")`,
});

/** A volume size: a whole number of Mi, Gi or Ti. */
const volumeSize = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a volume size (allowed: a whole number of Mi, Gi or Ti, e.g. "10Gi")`,
});

/** A Vault mount path: lower-case segments separated by `/`, no leading or trailing `/`. */
const mountPath = z.string().regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a Vault mount path (allowed: lower-case segments of letters, digits, "-" and "_" separated by "/", e.g. "transit")`,
});

/**
 * How the environment's Vault servers are unsealed; there is no public cloud KMS to lean on,
 * so every environment chooses one of:
 * - `shamir`: the root key is split into `keyShares` shares, one per named custodian; every
 *   restart of a Vault server waits until `keyThreshold` custodians enter their shares.
 * - `transit`: an in-country Vault (the bank's HSM-backed one) holds the key that wraps the
 *   root key; the servers unseal themselves at start through its Transit engine. The token
 *   for it is placed in a Secret out of band, never in this repository.
 */
export const vaultUnseal = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('shamir'),
      /** Shares the root key is split into at `vault operator init`. */
      keyShares: z.int().min(1).max(255),
      /** Shares needed to unseal. */
      keyThreshold: z.int().min(1).max(255),
      /** The people who each hold one share, by name or role; at least `keyShares` of them. */
      custodians: z.array(z.string().min(1)).min(1),
    }).superRefine((unseal, ctx) => {
      const parsed = parsedFields(ctx);
      if (parsed(['keyShares'], ['keyThreshold']) && unseal.keyThreshold > unseal.keyShares) {
        ctx.addIssue({ code: 'custom', path: ['keyThreshold'], message: `${unseal.keyThreshold} is more than keyShares ${unseal.keyShares} (allowed: a threshold no larger than the number of shares)` });
      }
      if (parsed(['keyShares'], ['custodians']) && unseal.custodians.length < unseal.keyShares) {
        ctx.addIssue({ code: 'custom', path: ['custodians'], message: `${unseal.custodians.length} custodians for ${unseal.keyShares} shares (allowed: at least one custodian per share, so no one holds two)` });
      }
      if (parsed(['custodians'])) {
        unseal.custodians.forEach((name, index) => {
          if (unseal.custodians.indexOf(name) !== index) {
            ctx.addIssue({ code: 'custom', path: ['custodians', index], message: `${JSON.stringify(name)} is listed twice (allowed: each custodian once)` });
          }
        });
      }
    }, RUN_ALWAYS),
    strict({
      kind: z.literal('transit'),
      /** The in-country Vault holding the unseal key: `https://<host in an approved domain>[:port]`. */
      address: inCountryEndpoint,
      /** Name of the Transit key that wraps this environment's root key. */
      keyName: dnsLabel,
      /** Where the Transit engine is mounted on that Vault, e.g. `transit`. */
      mountPath,
      /** Address blocks of that Vault's servers: the servers' NetworkPolicy lets them reach it there. */
      addressBlocks: z.array(privateIpv4Cidr).min(1),
    }),
  ],
  { error: kindError('Vault unseal kind', ['shamir', 'transit']) },
);

/** The environment's Vault clusters (one per site, the same settings at both). */
export const vault = strict({
  /** How the servers are unsealed: an explicit choice, see `vaultUnseal`. */
  unseal: vaultUnseal,
  /** Vault servers per site, an odd number for a Raft quorum: 3 or 5 in production, 1 allowed elsewhere. */
  replicas: z.int().refine((value) => [1, 3, 5].includes(value), { error: (issue) => `${JSON.stringify(issue.input)} is not a Raft cluster size (allowed: 1, 3 or 5)` }),
  /** When each site saves a Raft snapshot (cron, the cluster's time zone). */
  snapshotSchedule: cronSchedule,
  /**
   * Size of each server's two volumes: Raft data and the audit log. Every server's pair, the
   * other Vault pods and the snapshot job must fit the site's `security` namespace quota (the
   * synth checks it).
   */
  volumes: strict({ data: volumeSize, audit: volumeSize }),
});

export type VaultSettings = z.output<typeof vault>;
export type VaultUnseal = z.output<typeof vaultUnseal>;
