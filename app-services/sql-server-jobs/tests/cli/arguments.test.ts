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
  it('reads each command', () => {
    expect(parseArguments(['setup', '--config', 'c.json'])).toEqual({ name: 'setup', config: 'c.json' });
    expect(parseArguments(['backup', '--kind=tail-log', '--config', 'c.json'])).toEqual({ name: 'backup', kind: 'tail-log', config: 'c.json' });
    expect(parseArguments(['restore', '--config', 'c.json'])).toEqual({ name: 'restore', config: 'c.json', recover: false, reseed: false });
    expect(parseArguments(['restore', '--recover', '--config', 'c.json', '--reseed'])).toEqual({ name: 'restore', config: 'c.json', recover: true, reseed: true });
    expect(parseArguments(['exporter', '--config', 'c.json'])).toEqual({ name: 'exporter', config: 'c.json', host: '0.0.0.0', port: 9103 });
    expect(parseArguments(['exporter', '--config', 'c.json', '--host', '127.0.0.1', '--port', '0'])).toEqual({ name: 'exporter', config: 'c.json', host: '127.0.0.1', port: 0 });
  });

  it('names every problem, then the usage', () => {
    expect(problems([])).toEqual(['missing command (allowed: setup, backup, restore, exporter)', USAGE]);
    expect(problems(['failover'])).toEqual(['unknown command "failover" (allowed: setup, backup, restore, exporter)', USAGE]);
    expect(problems(['backup', '--kind', 'incremental', '--verbose'])).toEqual([
      'backup: unknown argument "--verbose" (allowed: --kind full|differential|log|tail-log, --config <file>)',
      'backup: --config is missing (allowed: --config <file>, the JSON config)',
      'backup: --kind "incremental" is not allowed (allowed: full, differential, log, tail-log)',
      USAGE,
    ]);
    expect(problems(['backup', '--config'])).toEqual([
      'backup: --config needs a value (allowed: --config <file>)',
      'backup: --kind is missing (allowed: full, differential, log, tail-log)',
      USAGE,
    ]);
    expect(problems(['restore', '--config', 'c.json', '--recover=yes', '--reseed', '--reseed'])).toEqual([
      'restore: --recover takes no value (allowed: --recover alone)',
      'restore: --reseed is given twice (allowed: once)',
      USAGE,
    ]);
    expect(problems(['exporter', '--config', 'a', '--config', 'b', '--port', '70000'])).toEqual([
      'exporter: --config is given twice (allowed: once)',
      'exporter: --port "70000" is not allowed (allowed: a port from 0 to 65535; 0 picks a free one)',
      USAGE,
    ]);
  });
});
