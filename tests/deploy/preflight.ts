import { findDeployTools } from './harness';

/**
 * Run by tests/deploy/run.sh before it creates the namespaces: the deploy tier was asked
 * for, so a missing tool is a failure that says what is missing and how to get it.
 */
const { missing } = findDeployTools();
if (missing.length > 0) {
  process.stderr.write(`test:deploy: missing tools (nothing was run):\n${missing.map((line) => `  - ${line}`).join('\n')}\n`);
  process.exitCode = 1;
}
