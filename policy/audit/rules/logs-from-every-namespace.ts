import { field, judge, notApplicable } from '../../objects';
import type { KubeObject } from '../../types';
import type { AuditCheck } from '../types';

/** Where the kubelet writes every container's log, one file per container: `<pod>_<namespace>_<container>-<id>.log`. */
const CONTAINER_LOGS = '/var/log/containers/*.log';

/**
 * Logs are collected from every namespace: at the namespace's site a Filebeat (ECK `Beat`)
 * runs as a DaemonSet with an input on every container log file, and none of its
 * exclusions drops the namespace's files.
 */
export const logsFromEveryNamespace: AuditCheck = (plan) =>
  plan.stacks.flatMap((stack) =>
    stack.objects.flatMap(({ object, ref }) => {
      if (object.kind !== 'Namespace') return [notApplicable(ref)];
      const collectors = plan.stacks
        .filter((other) => other.site === stack.site)
        .flatMap((other) => other.objects)
        .filter(({ object: beat }) => beat.kind === 'Beat' && field(beat.spec, 'daemonSet') !== undefined);
      const collects = collectors.some(({ object: beat }) => collectsNamespace(beat, object.metadata.name));
      return judge(ref, collects ? [] : [{ path: 'log collection', value: collectors.length === 0 ? undefined : 'excluded', allowed: `a Filebeat DaemonSet at ${stack.site} reading ${CONTAINER_LOGS} without excluding ${object.metadata.name}` }]);
    }),
  );

function collectsNamespace(beat: KubeObject, namespace: string): boolean {
  const inputs = field(field(beat.spec, 'config'), 'filebeat.inputs');
  const sample = `/var/log/containers/app-0_${namespace}_app-0123456789abcdef.log`;
  return (Array.isArray(inputs) ? inputs : []).some((input) => {
    const paths = field(input, 'paths');
    if (!Array.isArray(paths) || !paths.includes(CONTAINER_LOGS)) return false;
    const excludes = [field(input, 'exclude_files'), field(field(field(input, 'prospector'), 'scanner'), 'exclude_files')].flatMap((list) => (Array.isArray(list) ? list : []));
    return !excludes.some((pattern) => {
      try {
        return new RegExp(String(pattern)).test(sample);
      } catch {
        return true;
      }
    });
  });
}
