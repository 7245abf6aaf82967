import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { PlatformError } from '../../constructs/platform-error';
import { DEFAULT_PINS_DIR, readPins } from '../../environments/load';
import { SITE_NAMES, type Pins } from '../../environments/schema';

/**
 * The pins folder CI reads and writes: one `<env>.json` per environment, and under
 * `verified/` the record the post-deployment check writes for the pins it verified.
 */

/** The promotion path, in order: each environment is promoted from the one before it. */
export const PROMOTION_ORDER = ['dev', 'staging', 'production'] as const;
export type PromotedEnvironment = (typeof PROMOTION_ORDER)[number];

/** Folder of the verification records, inside the pins folder. */
export const VERIFIED_DIR = 'verified';

/** The pins folder: `--pins-dir`, else `LMS_PINS_DIR`, else `environments/pins/`. */
export function pinsDirectory(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.LMS_PINS_DIR ?? DEFAULT_PINS_DIR);
}

/** A validated environment name on the promotion path, or an error naming the option. */
export function promotedEnvironment(option: string, value: string | undefined): PromotedEnvironment {
  if (value === undefined || value === '') throw new PlatformError(`${option}: is required (allowed: ${PROMOTION_ORDER.join(', ')})`);
  if (!(PROMOTION_ORDER as readonly string[]).includes(value)) throw new PlatformError(`${option}: ${JSON.stringify(value)} is not an environment (allowed: ${PROMOTION_ORDER.join(', ')})`);
  return value as PromotedEnvironment;
}

/** The pins as written: keys in schema order, two-space indent, final newline. */
export function pinsText(pins: Pins): string {
  return `${JSON.stringify(pins, null, 2)}\n`;
}

/**
 * The fingerprint a verification record binds: SHA-256 of the pins with their keys sorted,
 * so reformatting the file does not change it and any changed value does.
 */
export function pinsDigest(pins: Pins): string {
  const canonical = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
      : value;
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(pins))).digest('hex')}`;
}

/** An environment's pins from the folder, or an error listing every problem. */
export function loadPins(directory: string, environment: PromotedEnvironment): Pins {
  const read = readPins(directory, environment);
  if (!read.pins) throw new PlatformError(read.problems.join('\n'));
  return read.pins;
}

const siteCheck = z.strictObject({
  readyz: z.strictObject({ url: z.string(), status: z.int() }),
  alertmanager: z.strictObject({ url: z.string(), firingCritical: z.array(z.string()) }),
});

/** What the post-deployment check records once every site of an environment passed. */
export const VerificationRecordSchema = z.strictObject({
  environment: z.enum(PROMOTION_ORDER),
  /** `pinsDigest` of the pins that were deployed and verified. */
  pinsSha256: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  toolkitRelease: z.string(),
  verifiedAt: z.iso.datetime(),
  /** The CI run that verified, e.g. a GitHub Actions run URL; empty outside CI. */
  run: z.string(),
  sites: z.strictObject(Object.fromEntries(SITE_NAMES.map((site) => [site, siteCheck])) as Record<(typeof SITE_NAMES)[number], typeof siteCheck>),
});
export type VerificationRecord = z.infer<typeof VerificationRecordSchema>;

export function verificationFile(directory: string, environment: PromotedEnvironment): string {
  return path.join(directory, VERIFIED_DIR, `${environment}.json`);
}

/** The environment's verification record, undefined when there is none, or an error when it is not a valid record. */
export function readVerification(directory: string, environment: PromotedEnvironment): VerificationRecord | undefined {
  const file = verificationFile(directory, environment);
  if (!fs.existsSync(file)) return undefined;
  const shown = path.relative(process.cwd(), file).split(path.sep).join('/');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlatformError(`${shown}: is not JSON: ${(error as Error).message} (allowed: a verification record written by \`npm run verify\`)`);
  }
  const result = VerificationRecordSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PlatformError(`${shown}: ${issue.path.join('.') || '(top level)'}: ${issue.message} (allowed: a verification record written by \`npm run verify\`)`);
  }
  return result.data;
}

/** Writes `text` to `file` through a temporary file in the same folder and a rename: never half-written. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
