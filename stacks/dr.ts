import { drRunbook, parseDrArguments } from './dr-runbook';
import { runEntry, selectedEnvironments } from './entry';

/**
 * Entry point of `npm run dr -- --env <environment> --promote <site>`: prints the ordered,
 * copy-pasteable runbook that makes `<site>` the primary (tail-log backup if the old primary
 * still answers, the remaining log restores, `RESTORE DATABASE ... WITH RECOVERY`, Vault,
 * promotion, the DNS move, checks), with the real names of the environment, and its reverse
 * for failing back. Nothing is changed: the declarative part of a failover is the role swap
 * in the environment file and a deploy, which the runbook says when to do.
 */
runEntry('dr', () => {
  const environments = selectedEnvironments();
  const request = parseDrArguments(process.argv.slice(2), environments.map((environment) => environment.name));
  process.stdout.write(drRunbook(environments, request));
});
