import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import { PlatformError } from '../constructs/platform-error';
import { EnvironmentSchema, PinsSchema, SITE_NAMES, type Environment, type ParsedEnvironment, type Pins } from './schema';
import { cidrBlock, overlaps, poolBlocks } from './schema/network';

/** Files in the environments folder that are code, not environments (the schema is a folder). */
const MODULE_FILES = new Set(['load.ts']);

/** Where each environment's pins are read from unless told otherwise (`LMS_PINS_DIR`). */
export const DEFAULT_PINS_DIR = path.join(__dirname, 'pins');

/** Promotion order: environments synthesize and list in this order. */
const TIER_ORDER = { development: 0, staging: 1, production: 2 } as const;

/** One or more invalid environment files: one line per problem, each naming file and field. */
export class EnvironmentError extends PlatformError {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid environment configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export interface LoadOptions {
  /**
   * Only these environments (by name), e.g. from `LMS_ENVIRONMENTS=production`.
   * @default - every environment file in the folder
   */
  readonly only?: readonly string[];
  /**
   * Folder the file names in messages are relative to.
   * @default process.cwd()
   */
  readonly relativeTo?: string;
  /**
   * Folder of the pins files, one `<name>.json` per environment (e.g. from `LMS_PINS_DIR`).
   * @default - `environments/pins/` of the project
   */
  readonly pinsDirectory?: string;
}

/**
 * Loads and validates every environment file (`<name>.ts`, default export) in `directory`.
 * Every problem in every file is collected before anything is thrown, so one run shows them all.
 */
export function loadEnvironments(directory: string, options: LoadOptions = {}): Environment[] {
  const relativeTo = options.relativeTo ?? process.cwd();
  const files = listEnvironmentFiles(directory);
  const problems: string[] = [];
  const environments: Environment[] = [];
  const shownFiles: string[] = [];

  for (const file of files) {
    const shown = path.relative(relativeTo, file).split(path.sep).join('/');
    let exported: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = (require(file) as { default?: unknown }).default;
    } catch (error) {
      problems.push(`${shown}: cannot be loaded: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const checked = checkEnvironment(exported, shown);
    problems.push(...checked.problems);
    if (!checked.environment) continue;
    // Read once the file itself is good: its name is then the environment's.
    const pins = readPins(options.pinsDirectory ?? DEFAULT_PINS_DIR, checked.environment.name, relativeTo);
    problems.push(...pins.problems);
    if (pins.pins) {
      environments.push({ ...checked.environment, pins: pins.pins });
      shownFiles.push(shown);
    }
  }
  problems.push(...checkPoolsAcrossEnvironments(environments, shownFiles));

  if (files.length === 0) {
    problems.push(`${path.relative(relativeTo, directory) || '.'}: no environment files (allowed: one <name>.ts per environment)`);
  }
  if (options.only) {
    // Names come from the files, so a broken file is not also reported as unknown.
    const known = files.map((file) => path.basename(file, '.ts'));
    if (options.only.length === 0) {
      problems.push(`LMS_ENVIRONMENTS: "" names no environment (allowed: comma-separated names from ${known.join(', ')}, or unset for all)`);
    }
    for (const wanted of options.only.filter((name) => !known.includes(name))) {
      problems.push(`LMS_ENVIRONMENTS: ${JSON.stringify(wanted)} is not an environment (allowed: ${known.join(', ')})`);
    }
  }
  if (problems.length > 0) throw new EnvironmentError(problems);

  const selected = options.only ? environments.filter((env) => options.only!.includes(env.name)) : environments;
  return selected.sort((a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || a.name.localeCompare(b.name));
}

/**
 * Validates one environment file's default export. `file` is the path shown in messages
 * (`environments/production.ts`); its base name is the name the environment must have.
 */
export function checkEnvironment(exported: unknown, file: string): { environment?: ParsedEnvironment; problems: string[] } {
  const expectedName = path.basename(file, '.ts');
  if (exported === undefined) {
    return { problems: [`${file}: has no default export (allowed: export default { name: "${expectedName}", ... } satisfies EnvironmentInput)`] };
  }
  const result = EnvironmentSchema.safeParse(exported, { reportInput: true, error: describeIssue });
  if (!result.success) {
    return { problems: result.error.issues.flatMap((issue) => formatIssue(file, issue)) };
  }
  if (result.data.name !== expectedName) {
    return { problems: [`${file}: name: ${JSON.stringify(result.data.name)} does not match the file name (allowed: "${expectedName}")`] };
  }
  // Checked once the name is known good: the key is read from the site's Vault, which holds
  // its own environment's secrets only (`<mount>/<environment>/<name>`, as every VaultSecret is).
  const keyPath = result.data.traffic.dnsFailover.tsigKeyVaultPath;
  if (keyPath !== undefined) {
    const segments = keyPath.split('/');
    if (segments[1] !== expectedName || segments.length > 4) {
      return {
        problems: [
          `${file}: traffic.dnsFailover.tsigKeyVaultPath: ${JSON.stringify(keyPath)} is not a secret of environment "${expectedName}" (allowed: "<mount>/${expectedName}/<name>" or "<mount>/${expectedName}/<workload>/<name>", e.g. "kv/${expectedName}/dns-failover"; a site's Vault holds its own environment's secrets only)`,
        ],
      };
    }
  }
  return { environment: result.data, problems: [] };
}

/**
 * Reads and validates one environment's pins, `<directory>/<name>.json`. Problems name the
 * file (relative to `relativeTo`), the field, the bad value and what is allowed.
 */
export function readPins(directory: string, name: string, relativeTo: string = process.cwd()): { pins?: Pins; problems: string[] } {
  const file = path.join(directory, `${name}.json`);
  const shown = path.relative(relativeTo, file).split(path.sep).join('/');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [`${shown}: cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (allowed: a JSON file with the pins of environment "${name}": toolkitRelease, loanService, charts)`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [`${shown}: is not JSON: ${(error as Error).message} (allowed: a JSON object with toolkitRelease, loanService, charts)`] };
  }
  return checkPins(parsed, shown);
}

/** Validates pins already parsed from JSON; `file` is the path shown in messages. */
export function checkPins(value: unknown, file: string): { pins?: Pins; problems: string[] } {
  const result = PinsSchema.safeParse(value, { reportInput: true, error: describeIssue });
  if (!result.success) return { problems: result.error.issues.flatMap((issue) => formatIssue(file, issue)) };
  return { pins: result.data, problems: [] };
}

/**
 * Load-balancer address pools are addresses on the data centres' networks: no two
 * environments may hand out the same ones. Each clash is reported on the later file.
 */
function checkPoolsAcrossEnvironments(environments: readonly Environment[], files: readonly string[]): string[] {
  const problems: string[] = [];
  const seen: { env: string; site: string; pool: string; cidr: string }[] = [];
  environments.forEach((environment, index) => {
    for (const siteName of SITE_NAMES) {
      for (const block of poolBlocks(environment.sites[siteName].network)) {
        const clash = seen.find((other) => other.env !== environment.name && overlaps(cidrBlock(other.cidr)!, cidrBlock(block.cidr)!));
        if (clash) {
          problems.push(
            `${files[index]}: sites.${siteName}.network.loadBalancer.addressPools[${block.index}].addresses[${block.addressIndex}]: ${JSON.stringify(block.cidr)} overlaps ${JSON.stringify(clash.cidr)} of ${clash.env} ${clash.site} pool ${JSON.stringify(clash.pool)} (allowed: address pools no other environment uses)`,
          );
        }
      }
      for (const block of poolBlocks(environment.sites[siteName].network)) seen.push({ env: environment.name, site: siteName, pool: block.pool, cidr: block.cidr });
    }
  });
  return problems;
}

function listEnvironmentFiles(directory: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw new EnvironmentError([
      `${directory}: cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (allowed: a folder holding one <name>.ts per environment)`,
    ]);
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !MODULE_FILES.has(name))
    .sort()
    .map((name) => path.resolve(directory, name));
}

/** `sites.lusaka.nodePools[0].name` */
function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

function formatIssue(file: string, issue: z.core.$ZodIssue): string[] {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${file}: ${where ? `${where}.` : ''}${key}: ${issue.message}`);
  }
  return [`${file}: ${where || '(top level)'}: ${issue.message}`];
}

/** Messages for the issues the schema does not word itself: always the bad value and what is allowed. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const got = issue.input === undefined ? undefined : JSON.stringify(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined ? `is required (allowed: ${issue.expected})` : `${got} is not a ${issue.expected} (allowed: ${issue.expected})`;
    case 'invalid_value':
      return `${got ?? 'nothing'} is not allowed (allowed: ${issue.values.map((v) => String(v)).join(', ')})`;
    case 'too_small':
      return `${got} is too small (allowed: ${issue.origin === 'array' ? 'at least ' : issue.inclusive ? '>= ' : '> '}${String(issue.minimum)}${issue.origin === 'array' ? ' entries' : ''})`;
    case 'too_big':
      return `${got} is too big (allowed: ${issue.inclusive ? '<= ' : '< '}${String(issue.maximum)})`;
    default:
      return undefined;
  }
}
