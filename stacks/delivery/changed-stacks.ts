import * as fs from 'fs';
import { parseArgs } from 'util';
import { PlatformError } from '../../constructs/platform-error';
import { SITE_NAMES } from '../../environments/schema';
import { runEntry } from '../entry';
import { changedStacks } from './stack-diff';

/**
 * `npm run changed-stacks -- --base <cdktf.out> --head <cdktf.out>`: the stacks whose
 * synthesized output differs between two synths (a pull request's base and head), as one
 * line of JSON, the matrix the pull-request workflow plans, each with its environment and
 * site (the runner label it plans on):
 * `[{"stack":"production-lusaka-apps","environment":"production","site":"lusaka"}]`.
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
  const matrix = changedStacks(values.base!, values.head!).map((stack) => {
    const site = SITE_NAMES.find((name) => stack.includes(`-${name}-`));
    if (site === undefined) throw new PlatformError(`stack ${JSON.stringify(stack)}: names no site (allowed: <environment>-<site>-<layer>, site one of ${SITE_NAMES.join(', ')})`);
    return { stack, environment: stack.slice(0, stack.indexOf(`-${site}-`)), site };
  });
  return `${JSON.stringify(matrix)}\n`;
}

if (require.main === module) {
  runEntry('changed-stacks', () => {
    process.stdout.write(changedStacksCommand(process.argv.slice(2)));
  });
}
