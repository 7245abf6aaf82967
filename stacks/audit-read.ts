import * as fs from 'fs';
import * as path from 'path';
import type { PlanFile } from '../policy/audit/plan';

/** Every file of a synth output folder the audit reads: stack JSON, carried chart objects, runbooks. */
export function readPlanFiles(planDir: string): PlanFile[] {
  const files: PlanFile[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(planDir, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (/^stacks\/[^/]+\/cdk\.tf\.json$|^stacks\/[^/]+\/charts\/[^/]+\/objects\/[^/]+\.ya?ml$|^runbooks\/[^/]+-failover\.md$/.test(child)) files.push({ path: child, text: fs.readFileSync(path.join(planDir, child), 'utf8') });
    }
  };
  for (const top of ['stacks', 'runbooks']) if (fs.existsSync(path.join(planDir, top))) walk(top);
  return files;
}
