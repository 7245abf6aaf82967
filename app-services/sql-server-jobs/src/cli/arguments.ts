import { BACKUP_KINDS, type BackupKind } from '../backup/backup-naming';
import { ConfigurationError } from '../errors';

export const DEFAULT_METRICS_PORT = 9103;
export const DEFAULT_METRICS_HOST = '0.0.0.0';

export const USAGE =
  'usage: node dist/main.js setup --config <file> | backup --kind full|differential|log|tail-log --config <file> | restore --config <file> [--recover] [--reseed] | exporter --config <file> [--host 0.0.0.0] [--port 9103]';

export type Command =
  | { readonly name: 'setup'; readonly config: string }
  | { readonly name: 'backup'; readonly kind: BackupKind; readonly config: string }
  | { readonly name: 'restore'; readonly config: string; readonly recover: boolean; readonly reseed: boolean }
  | { readonly name: 'exporter'; readonly config: string; readonly host: string; readonly port: number };

/** Options with a value (`<...>`) and flags (null). */
const OPTIONS = {
  setup: { '--config': '<file>' },
  backup: { '--kind': BACKUP_KINDS.join('|'), '--config': '<file>' },
  restore: { '--config': '<file>', '--recover': null, '--reseed': null },
  exporter: { '--config': '<file>', '--host': '<address>', '--port': '<0-65535>' },
} as const;
type CommandName = keyof typeof OPTIONS;

/** Parses `<command> --option value --flag ...` (also `--option=value`); every problem is listed. */
export function parseArguments(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  const commands = Object.keys(OPTIONS).join(', ');
  if (name === undefined) throw new ConfigurationError([`missing command (allowed: ${commands})`, USAGE]);
  if (!(name in OPTIONS)) throw new ConfigurationError([`unknown command "${name}" (allowed: ${commands})`, USAGE]);
  const command = name as CommandName;
  const known: Record<string, string | null> = OPTIONS[command];
  const allowed = Object.entries(known)
    .map(([option, value]) => (value === null ? option : `${option} ${value}`))
    .join(', ');
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const problems: string[] = [];
  for (let index = 0; index < rest.length; index += 1) {
    const argument = rest[index] as string;
    const equals = argument.indexOf('=');
    const option = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    if (!(option in known)) {
      problems.push(`${command}: unknown argument "${argument}" (allowed: ${allowed})`);
      continue;
    }
    if (known[option] === null) {
      if (option !== argument) problems.push(`${command}: ${option} takes no value (allowed: ${option} alone)`);
      else if (flags.has(option)) problems.push(`${command}: ${option} is given twice (allowed: once)`);
      flags.add(option);
      continue;
    }
    let value: string | undefined;
    if (option !== argument) value = argument.slice(equals + 1);
    else {
      value = rest[index + 1];
      index += 1;
    }
    if (value === undefined || value === '' || (option === argument && value.startsWith('--'))) {
      problems.push(`${command}: ${option} needs a value (allowed: ${option} ${known[option]})`);
      if (value?.startsWith('--') === true) index -= 1;
      continue;
    }
    if (values.has(option)) problems.push(`${command}: ${option} is given twice (allowed: once)`);
    values.set(option, value);
  }
  const needsValue = (option: string) => !problems.some((problem) => problem.startsWith(`${command}: ${option} needs a value`));

  const config = values.get('--config');
  if (config === undefined && needsValue('--config')) problems.push(`${command}: --config is missing (allowed: --config <file>, the JSON config)`);

  if (command === 'backup') {
    const kind = values.get('--kind');
    if (kind === undefined && needsValue('--kind')) problems.push(`backup: --kind is missing (allowed: ${BACKUP_KINDS.join(', ')})`);
    else if (kind !== undefined && !(BACKUP_KINDS as readonly string[]).includes(kind)) {
      problems.push(`backup: --kind "${kind}" is not allowed (allowed: ${BACKUP_KINDS.join(', ')})`);
    }
    if (problems.length > 0) throw new ConfigurationError([...problems, USAGE]);
    return { name: command, kind: kind as BackupKind, config: config as string };
  }
  if (command === 'exporter') {
    const portText = values.get('--port') ?? String(DEFAULT_METRICS_PORT);
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (!(port >= 0 && port <= 65535)) problems.push(`exporter: --port "${portText}" is not allowed (allowed: a port from 0 to 65535; 0 picks a free one)`);
    if (problems.length > 0) throw new ConfigurationError([...problems, USAGE]);
    return { name: command, config: config as string, host: values.get('--host') ?? DEFAULT_METRICS_HOST, port };
  }
  if (problems.length > 0) throw new ConfigurationError([...problems, USAGE]);
  if (command === 'restore') return { name: command, config: config as string, recover: flags.has('--recover'), reseed: flags.has('--reseed') };
  return { name: command, config: config as string };
}
