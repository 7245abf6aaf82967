import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to get Chromium, in the message of a skipped or failed end-to-end test. */
export const CHROMIUM_HOW_TO_GET = '`apt-get install chromium` (Debian), or point LMS_CHROMIUM at a Chromium or Chrome executable';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium the end-to-end tests drive: `LMS_CHROMIUM` (which must then be executable), else
 * `chromium` on PATH; undefined when there is none. With `LMS_REQUIRE_TOOLS=1` (CI) a missing
 * Chromium is an error rather than a skip.
 */
export function findChromium(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = environment.LMS_CHROMIUM;
  if (configured !== undefined && configured !== '') {
    if (!executable(configured)) throw new Error(`LMS_CHROMIUM: "${configured}" is not an executable file (allowed: the path of a Chromium or Chrome executable)`);
    return configured;
  }
  const found = (environment.PATH ?? '').split(delimiter).filter((directory) => directory !== '').map((directory) => join(directory, 'chromium')).find(executable);
  if (found === undefined && environment.LMS_REQUIRE_TOOLS === '1') {
    throw new Error(`Chromium is required (LMS_REQUIRE_TOOLS=1) but neither LMS_CHROMIUM nor chromium on PATH was found: ${CHROMIUM_HOW_TO_GET}`);
  }
  return found;
}
