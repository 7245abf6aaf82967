import type { RuleCheck } from '../types';
import { evaluateContainers } from '../workloads';

/**
 * Every container (and init container) image comes from one of the site's approved
 * registries (`context.approvedRegistries`), named explicitly in the image reference.
 */
export const approvedRegistry: RuleCheck = (objects, context) =>
  evaluateContainers(objects, ({ path, container }) => {
    const image = container.image;
    const host = typeof image === 'string' ? imageRegistryHost(image) : undefined;
    if (host !== undefined && context.approvedRegistries.includes(host)) return [];
    const allowed = context.approvedRegistries.length === 0 ? 'an image from an approved registry (none is configured)' : `an image from ${context.approvedRegistries.join(', ')}`;
    return [{ path: `${path}.image`, value: image, allowed }];
  });

/**
 * The registry host of an image reference, as a container runtime resolves it: the first
 * path component when it looks like a host (has a `.` or `:`, or is `localhost`), otherwise
 * Docker Hub (`nginx`, `library/nginx` -> `docker.io`). `undefined` for an empty or
 * malformed reference.
 */
export function imageRegistryHost(image: string): string | undefined {
  if (!/^[^\s/]+(\/[^\s/]+)*$/.test(image)) return undefined;
  const [first, ...rest] = image.split('/');
  if (rest.length === 0) return 'docker.io';
  return /[.:]/.test(first as string) || first === 'localhost' ? (first as string).toLowerCase() : 'docker.io';
}
