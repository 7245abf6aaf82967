import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ROOT } from './server-process';

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly argument: string;
  /** The build stage it belongs to (`AS` name), or `global` before the first FROM. */
  readonly stage: string;
}

/** Parses the service's Dockerfile into instructions (comments dropped, `\` continuations joined). */
export function readDockerfile(): Instruction[] {
  const text = readFileSync(join(SERVICE_ROOT, 'Dockerfile'), 'utf8');
  const logicalLines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let stage = 'global';
  return logicalLines.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(argument)?.[1] ?? 'unnamed';
    return { keyword: keyword.toUpperCase(), argument, stage };
  });
}

/** `ENV A=1 B=2` instructions of a stage as a map. */
export function environmentOf(instructions: readonly Instruction[], stage: string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const instruction of instructions) {
    if (instruction.stage !== stage || instruction.keyword !== 'ENV') continue;
    for (const match of instruction.argument.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) environment[match[1] as string] = match[2] as string;
  }
  return environment;
}
