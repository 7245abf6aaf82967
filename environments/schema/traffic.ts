import { z } from 'zod';
import { RUN_ALWAYS, describeValue, dnsLabel, duration, inDomain, kindError, parsedFields, strict } from './common';
import { privateIpv4Cidr } from './network';
import { DATA_SOVEREIGNTY, inCountryDnsDomain } from './sovereignty';

const approvedDomainsText = DATA_SOVEREIGNTY.approvedDomains.map((domain) => `*.${domain}`).join(', ');

/** A host name inside an approved in-country domain: `loans.lms.co.zm`. */
export const inCountryHostName = z.string().refine(
  (value) => /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]+$/.test(value) && DATA_SOVEREIGNTY.approvedDomains.some((domain) => inDomain(value, domain)),
  { error: (issue) => `${describeValue(issue.input)} is not a host name in an approved in-country domain (allowed: ${approvedDomainsText})` },
);

/**
 * How an environment's traffic enters and is encrypted: the public host name of the
 * loan-service, where its certificate comes from, the internal CA's lifetimes, who may reach
 * the operations UIs, the limits on the public route, and how the public name fails over.
 */
export const traffic = strict({
  /**
   * The host name branches and customers use for the loan-service. It points at the
   * primary site's Gateway; the failover runbook moves it to the other site.
   */
  publicHost: inCountryHostName,
  /**
   * Where the Gateway's certificate for `publicHost` comes from: the environment's internal
   * CA, or a CA of the bank's own whose key pair the bank's PKI officers place in the
   * `lms-platform` namespace as a Secret (never in this repository).
   */
  publicCertificate: z.discriminatedUnion(
    'issuer',
    [
      strict({ issuer: z.literal('internal-ca') }),
      strict({
        issuer: z.literal('external-ca'),
        /** Name of the Secret (`tls.crt`, `tls.key`) holding the bank CA's signing key pair. */
        caSecretName: dnsLabel,
      }),
    ],
    { error: kindError('public certificate issuer', ['internal-ca', 'external-ca'], 'issuer') },
  ),
  /** Lifetimes of the internal CA and the certificates it issues. */
  certificates: strict({
    /** Lifetime of the environment's root CA certificate. */
    rootValidity: duration,
    /** Lifetime of every certificate the platform's components request. */
    validity: duration,
    /** How long before expiry cert-manager renews a certificate (and the expiry alert fires). */
    renewBefore: duration,
  }),
  /** Source blocks of the operations network: the only clients of Grafana, Kibana and the Vault UI. */
  operationsNetworks: z.array(privateIpv4Cidr).min(1),
  /** Limits on the loan-service's public route. */
  loanServiceRoute: strict({
    /** Largest request body the Gateway passes on, in MiB (document uploads). */
    maxRequestBodyMiB: z.int().min(1).max(64),
    /** Sustained requests per second per client address. */
    ratePerSecond: z.int().min(1),
    /** Requests a client may send at once above the sustained rate. */
    burst: z.int().min(1),
  }),
  /** How the public host name moves to the other site. */
  dnsFailover: strict({
    /** The bank's DNS zone holding `publicHost`. */
    zone: inCountryDnsDomain,
    /** TTL of the public record: the longest clients keep the old address after a failover. */
    ttlSeconds: z.int().min(30).max(3600),
    /**
     * `manual`: the runbook tells the DNS administrators which record to change;
     * `rfc2136`: the runbook gives the `nsupdate` commands for the bank's DNS, which accepts
     * dynamic updates signed with a TSIG key held in Vault.
     */
    update: z.enum(['manual', 'rfc2136']),
    /**
     * The zone's primary (in-country) name server: where an `rfc2136` update is sent, and
     * where the runbook checks the record before any cache has it.
     */
    server: inCountryHostName,
    /**
     * Vault KV path (`<mount>/<path>`) of the TSIG key the server accepts updates signed with,
     * as the `keyfile` field in `tsig-keygen` format; read at run time, never written down.
     * Required with `rfc2136`, not used with `manual`.
     */
    tsigKeyVaultPath: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9._-]*)+$/, {
        error: (issue) => `${describeValue(issue.input)} is not a Vault KV path (allowed: <mount>/<path> in lower case, e.g. "kv/production/dns-failover")`,
      })
      .optional(),
  }),
}).superRefine((traffic, ctx) => {
  const parsed = parsedFields(ctx);
  if (parsed(['certificates', 'validity'], ['certificates', 'renewBefore']) && !traffic.certificates.validity.isLongerThan(traffic.certificates.renewBefore)) {
    ctx.addIssue({
      code: 'custom',
      path: ['certificates', 'validity'],
      message: `"${traffic.certificates.validity}" is not longer than renewBefore "${traffic.certificates.renewBefore}" (allowed: a lifetime longer than its renewal window, or every certificate would be renewed forever)`,
    });
  }
  if (parsed(['certificates', 'rootValidity'], ['certificates', 'validity']) && !traffic.certificates.rootValidity.isLongerThan(traffic.certificates.validity)) {
    ctx.addIssue({
      code: 'custom',
      path: ['certificates', 'rootValidity'],
      message: `"${traffic.certificates.rootValidity}" is not longer than validity "${traffic.certificates.validity}" (allowed: a root that outlives the certificates it signs)`,
    });
  }
  if (parsed(['dnsFailover', 'update'], ['dnsFailover', 'tsigKeyVaultPath'])) {
    const { update, tsigKeyVaultPath } = traffic.dnsFailover;
    if (update === 'rfc2136' && tsigKeyVaultPath === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dnsFailover', 'tsigKeyVaultPath'],
        message: 'is required with update "rfc2136" (allowed: the Vault KV path of the TSIG key the server accepts updates signed with, e.g. "kv/production/dns-failover")',
      });
    }
    if (update === 'manual' && tsigKeyVaultPath !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dnsFailover', 'tsigKeyVaultPath'],
        message: `${JSON.stringify(tsigKeyVaultPath)} is not used with update "manual" (allowed: no tsigKeyVaultPath; the DNS administrators change the record by hand)`,
      });
    }
  }
  if (parsed(['publicHost'], ['dnsFailover', 'zone']) && !inDomain(traffic.publicHost, traffic.dnsFailover.zone)) {
    ctx.addIssue({
      code: 'custom',
      path: ['publicHost'],
      message: `${JSON.stringify(traffic.publicHost)} is not in the failover zone ${JSON.stringify(traffic.dnsFailover.zone)} (allowed: a host name in *.${traffic.dnsFailover.zone})`,
    });
  }
}, RUN_ALWAYS);

export type Traffic = z.output<typeof traffic>;
