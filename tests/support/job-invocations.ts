import { Testing } from 'cdktf';
import type { KubeObject } from '../../constructs/platform-component';
import type { Environment } from '../../environments/schema';
import { buildPlatform, layerStacks, type SitePlatform } from '../../stacks/platform';

/** One container of a rendered Job, CronJob or Deployment that runs a job program's image. */
export interface Invocation {
  /** `<environment>-<site>`. */
  readonly site: string;
  /** `CronJob/sql-server-restore`. */
  readonly owner: string;
  /** The command after `node dist/main.js`. */
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** The files of the ConfigMap its `config` volume mounts. */
  readonly files: Record<string, string>;
}

/**
 * Every container of every site of `environments` whose image matches `image`, with what the
 * program would be started with: the contract tests run the program's own parsers on these.
 */
export function renderedInvocations(environments: readonly Environment[], image: RegExp, built: Map<string, SitePlatform> = buildPlatform(Testing.app(), environments)): Invocation[] {
  const found: Invocation[] = [];
  for (const [site, platform] of built) {
    const objects = layerStacks(platform).flatMap((stack) => stack.components.flatMap((component) => component.objects)) as (KubeObject & Record<string, any>)[];
    for (const object of objects) {
      const pod = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : ['Job', 'Deployment'].includes(object.kind) ? object.spec.template.spec : undefined;
      for (const container of pod?.containers ?? []) {
        if (!image.test(container.image)) continue;
        const configMap = objects.find((candidate) => candidate.kind === 'ConfigMap' && candidate.metadata.namespace === object.metadata.namespace && candidate.metadata.name === pod.volumes.find((volume: any) => volume.name === 'config').configMap.name);
        found.push({
          site,
          owner: `${object.kind}/${object.metadata.name}`,
          args: container.command.slice(2),
          env: Object.fromEntries(container.env.map((entry: { name: string; value: string }) => [entry.name, entry.value])),
          files: { ...configMap!.data },
        });
      }
    }
  }
  return found;
}
