import { judge } from '../../objects';
import { byImageSubject, imagesOf, pinnedByDigest, provenanceOf } from '../facts';
import type { AuditCheck } from '../types';

/**
 * Every image's digest was read from the in-country registry (constructs/versions.ts
 * `digestSource: 'registry'`): a stand-in digest has the right form but names no image the
 * registry holds, and an image the versions file does not pin has no recorded provenance.
 */
export const digestsFromRegistry: AuditCheck = (plan, context) =>
  byImageSubject(imagesOf(plan), (use) => {
    if (!pinnedByDigest(use.image)) return []; // LMS-SOV-002 reports it.
    const provenance = provenanceOf(use.image, context);
    if (provenance?.digestSource === 'registry') return [];
    return [{ path: use.path, value: provenance ? `${use.image} (stand-in digest; upstream ${provenance.upstream})` : `${use.image} (not pinned in constructs/versions.ts)`, allowed: 'a digest recorded from the in-country registry by the release that mirrored the image' }];
  }).flatMap(([subject, violations]) => judge(subject, violations));
