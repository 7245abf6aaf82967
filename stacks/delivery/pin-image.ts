import * as path from 'path';
import { parseArgs } from 'util';
import { checkPins } from '../../environments/load';
import { PlatformError } from '../../constructs/platform-error';
import { runEntry } from '../entry';
import { PROMOTION_ORDER, loadPins, pinsDirectory, pinsText, promotedEnvironment, writeAtomically } from './pins-store';

/**
 * `npm run pin-image -- --env dev --tag <tag> --digest sha256:<64 hex> [--pins-dir <dir>]`:
 * records a loan-service build the image workflow pushed to the in-country registry in the
 * first environment's pins. Later environments receive it only through `npm run promote`.
 */
export function pinImage(argv: readonly string[]): string {
  let values: { env?: string; tag?: string; digest?: string; 'pins-dir'?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { env: { type: 'string' }, tag: { type: 'string' }, digest: { type: 'string' }, 'pins-dir': { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new PlatformError(`${(error as Error).message} (allowed: --env ${PROMOTION_ORDER[0]} --tag <tag> --digest sha256:<64 hex> [--pins-dir <folder>])`);
  }
  const environment = promotedEnvironment('--env', values.env);
  if (environment !== PROMOTION_ORDER[0]) {
    throw new PlatformError(`--env: ${JSON.stringify(environment)} does not take new builds (allowed: ${PROMOTION_ORDER[0]}; later environments receive a build through \`npm run promote\` once it is verified)`);
  }
  const directory = pinsDirectory(values['pins-dir']);
  const pins = loadPins(directory, environment);
  const file = path.join(directory, `${environment}.json`);
  const shown = path.relative(process.cwd(), file).split(path.sep).join('/');
  const checked = checkPins({ ...pins, loanService: { tag: values.tag, digest: values.digest } }, shown);
  if (!checked.pins) throw new PlatformError(checked.problems.join('\n'));
  writeAtomically(file, pinsText(checked.pins));
  return `${shown}: loanService ${pins.loanService.tag}@${pins.loanService.digest} -> ${checked.pins.loanService.tag}@${checked.pins.loanService.digest}\n`;
}

if (require.main === module) {
  runEntry('pin-image', () => {
    process.stdout.write(pinImage(process.argv.slice(2)));
  });
}
