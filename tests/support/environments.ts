import * as path from 'path';
import { checkEnvironment, loadEnvironments } from '../../environments/load';
import type { Environment, EnvironmentInput } from '../../environments/schema';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** The project's own environments, parsed once per test file. */
export const ENVIRONMENTS: readonly Environment[] = loadEnvironments(path.join(PROJECT_ROOT, 'environments'));

export function environmentNamed(name: string): Environment {
  const found = ENVIRONMENTS.find((env) => env.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

export type EnvironmentName = 'dev' | 'staging' | 'production';

/** A deep copy of an environment file's raw export, to break in tests. */
export function rawEnvironment(name: EnvironmentName): EnvironmentInput {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = (require(path.join(PROJECT_ROOT, 'environments', `${name}.ts`)) as { default: EnvironmentInput }).default;
  // A JSON round trip, not structuredClone: the sites share objects in the file, and a test
  // breaking one site must not break the other.
  return JSON.parse(JSON.stringify(exported)) as EnvironmentInput;
}

/**
 * The problems an environment file would report after `breakIt` changed a copy of its export
 * (typed loosely, so a test can write what the types forbid), one line each, as printed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function problemsAfter(breakIt: (env: any) => void, name: EnvironmentName = 'production'): string[] {
  const raw = rawEnvironment(name);
  breakIt(raw);
  return checkEnvironment(raw, `environments/${name}.ts`).problems;
}
