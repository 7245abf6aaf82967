import { z } from 'zod';
import { VERSIONS } from '../../constructs/versions';
import { checkNamespaceCapacity, checkWorkloadQuota } from './capacity';
import { RUN_ALWAYS, dnsLabel, duration, inDomain, kindError, parsedFields, strict } from './common';
import { siteNetwork } from './network';
import { nodePools } from './node-pools';
import { sizing } from './sizing';
import { approvedRegistry, inCountryDnsDomain, inCountryEndpoint } from './sovereignty';
import { stateBackend } from './state';
import { workloadSizing } from './workloads';

/** The two sites every environment has. */
export const SITE_NAMES = ['lusaka', 'kitwe'] as const;
export type SiteName = (typeof SITE_NAMES)[number];

/** How Terraform reaches a site's cluster. Credentials never appear here: see README. */
const clusterAccess = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('kubeconfig-context'),
      /** Context name in the operator's kubeconfig (KUBE_CONFIG_PATH). */
      context: z.string().min(1),
    }),
    strict({
      kind: z.literal('api-endpoint'),
      /** The API server URL; the token comes from KUBE_TOKEN at deploy time. */
      endpoint: inCountryEndpoint,
    }),
  ],
  { error: kindError('cluster access kind', ['kubeconfig-context', 'api-endpoint']) },
);

/** One site of an environment: its cluster, capacity, sizing and where its state lives. */
export const site = strict({
  /** Which site serves traffic. Exactly one site per environment is primary; fail over by swapping roles. */
  role: z.enum(['primary', 'disaster-recovery']),
  /** The data centre the site runs in (for audit reports). */
  dataCentre: z.string().min(1),
  cluster: clusterAccess,
  kubernetesVersion: z.enum(VERSIONS.kubernetes),
  nodePools,
  /** Storage class names that exist in the cluster. */
  storageClasses: strict({
    /** General-purpose volumes. */
    standard: dnsLabel,
    /** Low-latency volumes for SQL Server data and logs. */
    fast: dnsLabel,
  }),
  /** The in-country registry mirror every image of this site is pulled from. */
  registry: approvedRegistry,
  /**
   * The in-country Helm chart repository every chart of this site is installed from, inside
   * the site's `dnsDomain` like its state, so either site installs with the other gone.
   */
  chartRepository: inCountryEndpoint,
  /** The DNS domain the site's services are published under. */
  dnsDomain: inCountryDnsDomain,
  /** Address ranges, load-balancer pools and the endpoints the other site may reach. */
  network: siteNetwork,
  /**
   * Where Terraform keeps this site's state. Each site has its own, inside its own
   * `dnsDomain`, so either site can be planned and applied with the other gone.
   */
  state: stateBackend,
  sizing,
  /** Sizing of the platform's own workloads at this site: one entry per component. */
  workloads: strict({
    loanService: workloadSizing,
  }),
  /** How long each kind of record is kept at this site. */
  retention: strict({
    logs: duration,
    metrics: duration,
    backups: duration,
  }),
}).superRefine((site, ctx) => {
  const parsed = parsedFields(ctx);
  if (parsed(['state'], ['dnsDomain']) && site.state.kind === 's3' && !inDomain(new URL(site.state.endpoint).hostname, site.dnsDomain)) {
    ctx.addIssue({
      code: 'custom',
      path: ['state', 'endpoint'],
      message: `${JSON.stringify(site.state.endpoint)} is not in the site's dnsDomain ${JSON.stringify(site.dnsDomain)} (allowed: https://<host in *.${site.dnsDomain}>, so the site's state survives the loss of the other site)`,
    });
  }
  if (parsed(['chartRepository'], ['dnsDomain']) && !inDomain(new URL(site.chartRepository).hostname, site.dnsDomain)) {
    ctx.addIssue({
      code: 'custom',
      path: ['chartRepository'],
      message: `${JSON.stringify(site.chartRepository)} is not in the site's dnsDomain ${JSON.stringify(site.dnsDomain)} (allowed: https://<host in *.${site.dnsDomain}>, so the site installs its charts with the other site gone)`,
    });
  }
  checkNamespaceCapacity(site, ctx, parsed);
  checkWorkloadQuota(site, ctx, parsed);
}, RUN_ALWAYS);
