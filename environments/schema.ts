import { z } from 'zod';
import { DURATION_ALLOWED, DURATION_PATTERN, Duration } from '../constructs/duration';
import { NAMESPACE_ROLES, type NamespaceRole } from '../constructs/namespaces';
import { VERSIONS } from '../constructs/versions';

/**
 * Facts from the operations plan (shared/seed/infrastructure-and-operations.md) that hold
 * for the whole platform. Environment files state their own objectives; production's may
 * not be weaker than these.
 */
export const OPERATIONS_PLAN = {
  recoveryPoint: Duration.hours(1),
  recoveryTime: Duration.hours(4),
  availabilityPercent: 99.9,
  fullBackupSchedule: 'daily',
} as const;

/**
 * Data sovereignty (Bank of Zambia): every image, endpoint and DNS name stays in Zambia.
 * These lists are the only in-country places the environments may name.
 */
export const DATA_SOVEREIGNTY = {
  country: 'ZM',
  /** Container registry mirrors every image must be pulled from. */
  approvedRegistries: ['registry.lms.co.zm'],
  /** DNS domains (and their subdomains) that cluster API, state and service endpoints may use. */
  approvedDomains: ['lms.co.zm'],
} as const;

/** The two sites every environment has. */
export const SITE_NAMES = ['lusaka', 'kitwe'] as const;
export type SiteName = (typeof SITE_NAMES)[number];


/**
 * Cross-field rules run even when other fields have problems, so one run reports them all;
 * each rule reads only fields that `parsedFields` says parsed cleanly.
 */
const RUN_ALWAYS = { when: () => true };

const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a DNS label (allowed: lower-case letters, digits and "-", starting with a letter, at most 63 characters)`,
  });

const duration = z
  .string({ error: (issue) => `${describe(issue.input)} is not a duration (allowed: ${DURATION_ALLOWED})` })
  .regex(DURATION_PATTERN, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a duration (allowed: ${DURATION_ALLOWED})`,
  })
  .transform((text) => Duration.parse(text));

const cpuQuantity = z.string().regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a CPU quantity (allowed: cores such as "2" or "0.5", or millicores such as "500m")`,
});

const memoryQuantity = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a memory quantity (allowed: a whole number with Mi, Gi or Ti, e.g. "512Mi", "4Gi")`,
});

const positiveInt = z.int().positive();

/** `host` is `domain` or one of its subdomains. */
function inDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function inApprovedDomain(host: string): boolean {
  return DATA_SOVEREIGNTY.approvedDomains.some((domain) => inDomain(host, domain));
}

const approvedDomainsText = DATA_SOVEREIGNTY.approvedDomains.map((d) => `*.${d}`).join(', ');

/** An https URL whose host is in an approved in-country domain. */
const inCountryEndpoint = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a URL (allowed: https://<host in ${approvedDomainsText}>[:port])` });
    return;
  }
  if (url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} does not use https (allowed: https://<host in ${approvedDomainsText}>[:port])` });
  } else if (!inApprovedDomain(url.hostname)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not an approved in-country endpoint (allowed: https://<host in ${approvedDomainsText}>)`,
    });
  } else if (url.pathname !== '/' || url.search || url.username || url.password) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} must be a bare endpoint, without path, query or credentials (allowed: https://<host>[:port])`,
    });
  }
});

const registry = z.string().refine((value) => (DATA_SOVEREIGNTY.approvedRegistries as readonly string[]).includes(value), {
  error: (issue) =>
    `${describe(issue.input)} is not an approved in-country registry (allowed: ${DATA_SOVEREIGNTY.approvedRegistries.join(', ')})`,
});

const dnsDomain = z.string().refine((value) => /^([a-z0-9-]+\.)+[a-z]+$/.test(value) && inApprovedDomain(value), {
  error: (issue) => `${describe(issue.input)} is not a DNS domain in an approved in-country domain (allowed: ${approvedDomainsText})`,
});

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
  { error: kindError('cluster access', ['kubeconfig-context', 'api-endpoint']) },
);

const nodePool = strict({
  name: dnsLabel,
  /** What runs there: `system` (control add-ons), `general` (apps, platform), `data` (databases, storage). */
  purpose: z.enum(['system', 'general', 'data']),
  nodeCount: positiveInt,
  cpuCores: positiveInt,
  memoryGiB: positiveInt,
});

const namespaceQuota = strict({
  requestsCpu: cpuQuantity,
  requestsMemory: memoryQuantity,
  limitsCpu: cpuQuantity,
  limitsMemory: memoryQuantity,
  requestsStorage: memoryQuantity,
  persistentVolumeClaims: z.int().nonnegative(),
  pods: positiveInt,
});

const containerDefaults = strict({
  cpuRequest: cpuQuantity,
  memoryRequest: memoryQuantity,
  cpuLimit: cpuQuantity,
  memoryLimit: memoryQuantity,
});

const workloadSizing = strict({
  /** Replicas while the site is primary; at least 2 in production (availability 99.9 %). */
  replicas: positiveInt,
  /** Replicas while the site is the disaster-recovery warm standby. */
  standbyReplicas: positiveInt,
  /** Upper bound for the HorizontalPodAutoscaler. */
  maxReplicas: positiveInt,
  cpuRequest: cpuQuantity,
  memoryRequest: memoryQuantity,
  cpuLimit: cpuQuantity,
  memoryLimit: memoryQuantity,
}).superRefine((sizing, ctx) => {
  if (sizing.standbyReplicas > sizing.replicas) {
    ctx.addIssue({ code: 'custom', path: ['standbyReplicas'], message: `${sizing.standbyReplicas} is above replicas ${sizing.replicas} (allowed: at most replicas)` });
  }
  if (sizing.maxReplicas < sizing.replicas) {
    ctx.addIssue({ code: 'custom', path: ['maxReplicas'], message: `${sizing.maxReplicas} is below replicas ${sizing.replicas} (allowed: at least replicas)` });
  }
});

const stateBackend = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('s3'),
      /** The in-country S3-compatible (MinIO) endpoint holding Terraform state. */
      endpoint: inCountryEndpoint,
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a bucket name (allowed: 3-63 lower-case letters, digits, "." and "-")`,
      }),
      /** Region name the MinIO server is configured with. */
      region: z.string().min(1),
    }),
    strict({
      kind: z.literal('local'),
      /**
       * Directory for state files, relative to the project root (never absolute, so
       * synthesized output is the same on every machine).
       */
      directory: z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a relative directory inside the project (allowed: e.g. ".terraform-state")`,
      }),
    }),
  ],
  { error: kindError('state backend', ['s3', 'local']) },
);

const site = strict({
  /** Which site serves traffic. Exactly one site per environment is primary; fail over by swapping roles. */
  role: z.enum(['primary', 'disaster-recovery']),
  /** The data centre the site runs in (for audit reports). */
  dataCentre: z.string().min(1),
  cluster: clusterAccess,
  kubernetesVersion: z.enum(VERSIONS.kubernetes),
  nodePools: z.array(nodePool).min(1).superRefine((pools, ctx) => {
    const seen = new Set<string>();
    pools.forEach((pool, index) => {
      if (seen.has(pool.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `${JSON.stringify(pool.name)} is used by two node pools (allowed: unique names)` });
      }
      seen.add(pool.name);
    });
  }),
  /** Storage class names that exist in the cluster. */
  storageClasses: strict({
    /** General-purpose volumes. */
    standard: dnsLabel,
    /** Low-latency volumes for SQL Server data and logs. */
    fast: dnsLabel,
  }),
  /** The in-country registry mirror every image of this site is pulled from. */
  registry,
  /** The DNS domain the site's services are published under. */
  dnsDomain,
  /**
   * Where Terraform keeps this site's state. Each site has its own, inside its own
   * `dnsDomain`, so either site can be planned and applied with the other gone.
   */
  state: stateBackend,
  sizing: strict({
    /** ResourceQuota of each baseline namespace. */
    namespaces: strict(Object.fromEntries(NAMESPACE_ROLES.map((role) => [role, namespaceQuota])) as Record<NamespaceRole, typeof namespaceQuota>),
    /** LimitRange defaults for containers that state no requests or limits. */
    containerDefaults,
  }),
  /** Sizing of the platform's own workloads at this site. */
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
}, RUN_ALWAYS);

export const EnvironmentSchema = strict({
  /** Must equal the file name: `environments/<name>.ts`. */
  name: dnsLabel,
  tier: z.enum(['development', 'staging', 'production']),
  objectives: strict({
    recoveryPoint: duration,
    recoveryTime: duration,
    availabilityPercent: z.number().min(90).max(100),
    fullBackupSchedule: z.enum(['daily']),
    /** How often transaction logs are backed up and shipped to the DR site. */
    logBackupInterval: duration,
  }),
  sites: strict({ lusaka: site, kitwe: site }),
}, {
  state: `a state backend for the whole environment is no longer accepted (allowed: one per site, as ${SITE_NAMES.map((name) => `sites.${name}.state`).join(' and ')}, so either site can be planned and applied with the other gone)`,
}).superRefine((env, ctx) => {
  const parsed = parsedFields(ctx);
  if (parsed(...SITE_NAMES.map((name) => ['sites', name, 'role']))) {
    const primaries = SITE_NAMES.filter((name) => env.sites[name].role === 'primary');
    if (primaries.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites'],
        message: `${primaries.length} primary sites (${primaries.join(', ') || 'none'}) (allowed: exactly one site with role "primary", the other "disaster-recovery")`,
      });
    }
  }
  if (parsed(['objectives']) && env.objectives.logBackupInterval.isLongerThan(env.objectives.recoveryPoint)) {
    ctx.addIssue({
      code: 'custom',
      path: ['objectives', 'logBackupInterval'],
      message: `"${env.objectives.logBackupInterval}" is longer than the recovery point "${env.objectives.recoveryPoint}" (allowed: at most the recovery point)`,
    });
  }
  if (parsed(['tier']) && env.tier === 'production') {
    const plan = OPERATIONS_PLAN;
    if (parsed(['objectives'])) {
      if (env.objectives.recoveryPoint.isLongerThan(plan.recoveryPoint)) {
        ctx.addIssue({ code: 'custom', path: ['objectives', 'recoveryPoint'], message: `"${env.objectives.recoveryPoint}" is weaker than the operations plan (allowed in production: at most "${plan.recoveryPoint}")` });
      }
      if (env.objectives.recoveryTime.isLongerThan(plan.recoveryTime)) {
        ctx.addIssue({ code: 'custom', path: ['objectives', 'recoveryTime'], message: `"${env.objectives.recoveryTime}" is weaker than the operations plan (allowed in production: at most "${plan.recoveryTime}")` });
      }
      if (env.objectives.availabilityPercent < plan.availabilityPercent) {
        ctx.addIssue({ code: 'custom', path: ['objectives', 'availabilityPercent'], message: `${env.objectives.availabilityPercent} is weaker than the operations plan (allowed in production: at least ${plan.availabilityPercent})` });
      }
    }
    for (const siteName of SITE_NAMES) {
      const replicasPath = ['sites', siteName, 'workloads', 'loanService', 'replicas'];
      const replicas = parsed(replicasPath) ? env.sites[siteName].workloads.loanService.replicas : undefined;
      if (replicas !== undefined && replicas < 2) {
        ctx.addIssue({ code: 'custom', path: replicasPath, message: `${replicas} leaves no replica during a node failure or rollout (allowed in production: at least 2)` });
      }
    }
    for (const siteName of SITE_NAMES) {
      const state = parsed(['sites', siteName, 'state']) ? env.sites[siteName].state : undefined;
      if (state !== undefined && state.kind !== 's3') {
        ctx.addIssue({ code: 'custom', path: ['sites', siteName, 'state', 'kind'], message: `"${state.kind}" keeps production state on one machine (allowed in production: s3)` });
      }
    }
  }
  if (parsed(...SITE_NAMES.map((name) => ['sites', name, 'state']))) {
    const [first, second] = SITE_NAMES.map((name) => env.sites[name].state);
    if (first.kind === 's3' && second.kind === 's3' && first.endpoint === second.endpoint && first.bucket === second.bucket) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites', SITE_NAMES[1], 'state'],
        message: `bucket ${JSON.stringify(second.bucket)} at ${JSON.stringify(second.endpoint)} also holds the state of ${SITE_NAMES[0]} (allowed: a state store of the site's own, so losing one site never loses the other's state)`,
      });
    }
  }
}, RUN_ALWAYS);

/** What an environment file exports (before defaults and parsing). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** What one site of an environment file holds (before parsing). */
export type SiteInput = EnvironmentInput['sites'][SiteName];
/** A parsed, validated environment. */
export type Environment = Omit<z.output<typeof EnvironmentSchema>, 'state'>;
export type Site = Environment['sites'][SiteName];
export type NamespaceQuota = Site['sizing']['namespaces'][NamespaceRole];
export type ContainerDefaults = Site['sizing']['containerDefaults'];
export type StateBackend = Site['state'];
export type WorkloadSizing = Site['workloads']['loanService'];
export type ClusterAccess = Site['cluster'];

/**
 * A strict object whose unknown-key error lists the keys that are allowed. `retired` names
 * keys that were once accepted, each with the message that says what to write instead; they
 * are not listed as allowed.
 */
function strict<T extends z.ZodRawShape, R extends Record<string, string> = Record<never, string>>(shape: T, retired?: R) {
  const allowed = Object.keys(shape).join(', ');
  const retiredShape = Object.fromEntries(
    Object.entries(retired ?? {}).map(([key, message]) => [key, z.never({ error: message }).optional()]),
  ) as { [K in keyof R]: z.ZodOptional<z.ZodNever> };
  return z.strictObject(
    { ...shape, ...retiredShape },
    {
      error: (issue) => {
        if (issue.code === 'unrecognized_keys') return `unknown key (allowed: ${allowed})`;
        if (issue.code === 'invalid_type') {
          return issue.input === undefined ? `is required (allowed: an object with ${allowed})` : `${describe(issue.input)} is not an object (allowed: an object with ${allowed})`;
        }
        return undefined;
      },
    },
  );
}

/** Messages for a union told apart by `kind`: a missing object, a non-object, an unknown kind. */
function kindError(what: string, kinds: readonly string[]) {
  const allowed = kinds.join(', ');
  return (issue: z.core.$ZodRawIssue): string => {
    if (issue.input === undefined) return `is required (allowed: an object with kind ${allowed})`;
    if (typeof issue.input !== 'object' || issue.input === null) return `${describe(issue.input)} is not an object (allowed: an object with kind ${allowed})`;
    return `${describe((issue.input as { kind?: unknown }).kind)} is not a ${what} kind (allowed: ${allowed})`;
  };
}

/**
 * Which fields of the object a rule is on parsed without a problem (paths relative to that
 * object): a rule reads only those, so it never reads a value that failed to parse. Unknown
 * keys do not count as a problem of any field. Call it before the rule adds issues.
 */
function parsedFields(ctx: z.core.$RefinementCtx<unknown>): (...reads: readonly (readonly PropertyKey[])[]) => boolean {
  const problems = ctx.issues.filter((issue) => issue.code !== 'unrecognized_keys').map((issue) => issue.path ?? []);
  return (...reads) => !problems.some((at) => reads.some((read) => startsWith(at, read) || startsWith(read, at)));
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
