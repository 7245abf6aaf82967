import { VERSIONS, standInImages } from '../constructs/versions';

/**
 * The synth summary line about image pins: how many images are pinned, and which of them
 * still carry a stand-in digest (constructs/versions.ts), so nobody mistakes them for images
 * the in-country registry holds.
 */
export function imageSummary(): string {
  const total = Object.keys(VERSIONS.images).length;
  const standIns = standInImages();
  if (standIns.length === 0) return `images: ${total} pinned by digest, all recorded from the in-country registry\n`;
  return `images: ${total} pinned by digest, ${standIns.length} by stand-in digests not yet recorded from the in-country registry (a deploy cannot pull them until the release records them): ${standIns.join(', ')}\n`;
}
