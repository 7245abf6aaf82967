import * as fs from 'fs';
import { parseArgs } from 'util';
import { PlatformError } from '../../constructs/platform-error';
import { runEntry } from '../entry';
import { changedStacks } from './stack-diff';

/**
 * `npm run changed-stacks -- --base <cdktf.out> --head <cdktf.out>`: the stacks whose
 * synthesized output differs between two synths (a pull request's base and head), as one
 * line of JSON, the matrix the pull-request workflow plans: `["production-lusaka-apps"]`.
 */
export function changedStacksCommand(argv: readonly string[]): string {
  let values: { base?: string; head?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { base: { type: 'string' }, head: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new PlatformError(`${(error as Error).message} (allowed: --base <cdktf.out folder> --head <cdktf.out folder>)`);
  }
  for (const option of ['base', 'head'] as const) {
    const folder = values[option];
    if (folder === undefined) throw new PlatformError(`--${option}: is required (allowed: a cdktf.out folder written by \`npm run synth\`)`);
    if (!fs.existsSync(`${folder}/manifest.json`)) throw new PlatformError(`--${option}: ${JSON.stringify(folder)} holds no manifest.json (allowed: a cdktf.out folder written by \`npm run synth\`)`);
  }
  return `${JSON.stringify(changedStacks(values.base!, values.head!))}\n`;
}

if (require.main === module) {
  runEntry('changed-stacks', () => {
    process.stdout.write(changedStacksCommand(process.argv.slice(2)));
  });
}
