import { judge } from '../../objects';
import { byImageSubject, imagesOf, pinnedByDigest } from '../facts';
import type { AuditCheck } from '../types';

/** Every image the plan names is pinned by a sha256 digest, Helm values' images included. */
export const imagesPinnedByDigest: AuditCheck = (plan) =>
  byImageSubject(imagesOf(plan), (use) => (pinnedByDigest(use.image) ? [] : [{ path: use.path, value: use.image, allowed: 'an image reference ending in @sha256:<64 hex digits>' }])).flatMap(([subject, violations]) =>
    judge(subject, violations),
  );
