import { parseArguments, USAGE } from '../../src/cli/arguments';
import { ConfigurationError } from '../../src/errors';

function problems(argv: string[]): string[] {
  try {
    parseArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return [...(error as ConfigurationError).lines];
  }
  throw new Error('parseArguments accepted the arguments');
}

describe('parseArguments', () => {
  it('reads reconcile-buckets --config', () => {
    expect(parseArguments(['reconcile-buckets', '--config', '/etc/lms/buckets.json'])).toEqual({ name: 'reconcile-buckets', config: '/etc/lms/buckets.json' });
    expect(parseArguments(['reconcile-buckets', '--config=/etc/lms/buckets.json'])).toEqual({ name: 'reconcile-buckets', config: '/etc/lms/buckets.json' });
  });

  it('reads replication-heartbeat with the default port 9102 on every address', () => {
    expect(parseArguments(['replication-heartbeat', '--mode', 'reader', '--config', 'heartbeat.json'])).toEqual({
      name: 'replication-heartbeat',
      mode: 'reader',
      config: 'heartbeat.json',
      port: 9102,
      host: '0.0.0.0',
    });
    expect(parseArguments(['replication-heartbeat', '--config=h.json', '--mode=writer', '--port', '0', '--host', '127.0.0.1'])).toEqual({
      name: 'replication-heartbeat',
      mode: 'writer',
      config: 'h.json',
      port: 0,
      host: '127.0.0.1',
    });
  });

  it('names a missing or unknown command', () => {
    expect(problems([])).toEqual(['missing command (allowed: reconcile-buckets, replication-heartbeat)', USAGE]);
    expect(problems(['reconcile'])).toEqual(['unknown command "reconcile" (allowed: reconcile-buckets, replication-heartbeat)', USAGE]);
  });

  it('names unknown, repeated and valueless arguments', () => {
    expect(problems(['reconcile-buckets', '--cfg', 'x', '--config'])).toEqual([
      'reconcile-buckets: unknown argument "--cfg" (allowed: --config <file>)',
      'reconcile-buckets: unknown argument "x" (allowed: --config <file>)',
      'reconcile-buckets: --config needs a value (allowed: --config <file>)',
      USAGE,
    ]);
    expect(problems(['reconcile-buckets', '--config', 'a.json', '--config=b.json'])).toEqual(['reconcile-buckets: --config is given twice (allowed: once)', USAGE]);
    expect(problems(['reconcile-buckets'])).toEqual(['reconcile-buckets: --config is missing (allowed: --config <file>, the JSON config)', USAGE]);
  });

  it('names a bad mode and port', () => {
    expect(problems(['replication-heartbeat', '--mode', 'both', '--config', 'h.json', '--port', '70000'])).toEqual([
      'replication-heartbeat: --mode "both" is not allowed (allowed: writer, reader)',
      'replication-heartbeat: --port "70000" is not allowed (allowed: a port from 0 to 65535; 0 picks a free one)',
      USAGE,
    ]);
    expect(problems(['replication-heartbeat', '--mode', '--config', 'h.json', '--port=http'])).toEqual([
      'replication-heartbeat: --mode needs a value (allowed: --mode writer|reader)',
      'replication-heartbeat: --port "http" is not allowed (allowed: a port from 0 to 65535; 0 picks a free one)',
      USAGE,
    ]);
    expect(problems(['replication-heartbeat', '--config', 'h.json'])).toEqual(['replication-heartbeat: --mode is missing (allowed: writer, reader)', USAGE]);
  });
});
