import * as path from 'path';
import { loadEnvironments } from '../../environments/load';
import type { Environment, EnvironmentInput } from '../../environments/schema';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** The project's own environments, parsed once per test file. */
export const ENVIRONMENTS: readonly Environment[] = loadEnvironments(path.join(PROJECT_ROOT, 'environments'));

export function environmentNamed(name: string): Environment {
  const found = ENVIRONMENTS.find((env) => env.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

/** A deep copy of an environment file's raw export, to break in tests. */
export function rawEnvironment(name: 'dev' | 'staging' | 'production'): EnvironmentInput {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = (require(path.join(PROJECT_ROOT, 'environments', `${name}.ts`)) as { default: EnvironmentInput }).default;
  // A JSON round trip, not structuredClone: the sites share objects in the file, and a test
  // breaking one site must not break the other.
  return JSON.parse(JSON.stringify(exported)) as EnvironmentInput;
}
