import type { RuleCheck } from '../types';
import { evaluateContainers } from '../workloads';

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Every container (and init container) image is pinned by digest (`...@sha256:<64 hex>`), not by a movable tag. */
export const imagePinnedByDigest: RuleCheck = (objects) =>
  evaluateContainers(objects, ({ path, container }) =>
    typeof container.image === 'string' && DIGEST.test(container.image) ? [] : [{ path: `${path}.image`, value: container.image, allowed: 'an image pinned by digest: <image>@sha256:<64 hex digits>' }],
  );
