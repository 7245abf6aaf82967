import { HEARTBEAT_MODES, type HeartbeatMode } from '../config/heartbeat-config';
import { ConfigurationError } from '../errors';

export const DEFAULT_METRICS_PORT = 9102;
export const DEFAULT_METRICS_HOST = '0.0.0.0';

export const USAGE =
  'usage: node dist/main.js reconcile-buckets --config <file> | node dist/main.js replication-heartbeat --mode writer|reader --config <file> [--port 9102] [--host 0.0.0.0]';

export type Command =
  | { readonly name: 'reconcile-buckets'; readonly config: string }
  | { readonly name: 'replication-heartbeat'; readonly mode: HeartbeatMode; readonly config: string; readonly port: number; readonly host: string };

const OPTIONS = {
  'reconcile-buckets': { '--config': '<file>' },
  'replication-heartbeat': { '--mode': 'writer|reader', '--config': '<file>', '--port': '<0-65535>', '--host': '<address>' },
} as const;
type CommandName = keyof typeof OPTIONS;

/** Parses `<command> --option value ...` (also `--option=value`). */
export function parseArguments(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined) throw new ConfigurationError([`missing command (allowed: ${Object.keys(OPTIONS).join(', ')})`, USAGE]);
  if (!(name in OPTIONS)) throw new ConfigurationError([`unknown command "${name}" (allowed: ${Object.keys(OPTIONS).join(', ')})`, USAGE]);
  const command = name as CommandName;
  const known: Record<string, string> = OPTIONS[command];
  const allowed = Object.entries(known)
    .map(([option, value]) => `${option} ${value}`)
    .join(', ');
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (let index = 0; index < rest.length; index += 1) {
    const argument = rest[index] as string;
    const equals = argument.indexOf('=');
    const option = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    if (!(option in known)) {
      problems.push(`${command}: unknown argument "${argument}" (allowed: ${allowed})`);
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

  const config = values.get('--config');
  if (config === undefined && !problems.some((problem) => problem.includes(' --config needs'))) {
    problems.push(`${command}: --config is missing (allowed: --config <file>, the JSON config)`);
  }
  if (command === 'reconcile-buckets') {
    if (problems.length > 0) throw new ConfigurationError([...problems, USAGE]);
    return { name: command, config: config as string };
  }

  const modeText = values.get('--mode');
  if (modeText === undefined && !problems.some((problem) => problem.includes(' --mode needs'))) {
    problems.push(`${command}: --mode is missing (allowed: ${HEARTBEAT_MODES.join(', ')})`);
  } else if (modeText !== undefined && !(HEARTBEAT_MODES as readonly string[]).includes(modeText)) {
    problems.push(`${command}: --mode "${modeText}" is not allowed (allowed: ${HEARTBEAT_MODES.join(', ')})`);
  }
  const portText = values.get('--port') ?? String(DEFAULT_METRICS_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) problems.push(`${command}: --port "${portText}" is not allowed (allowed: a port from 0 to 65535; 0 picks a free one)`);
  if (problems.length > 0) throw new ConfigurationError([...problems, USAGE]);
  return {
    name: command,
    mode: modeText as HeartbeatMode,
    config: config as string,
    port,
    host: values.get('--host') ?? DEFAULT_METRICS_HOST,
  };
}
