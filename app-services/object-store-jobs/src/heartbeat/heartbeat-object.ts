import type { Site } from '../config/bucket-name';

/** Where the replication heartbeat objects live in every replicated bucket. */
export const HEARTBEAT_PREFIX = '.lms-heartbeat/';

/** The key a site's writer puts its heartbeat at: `.lms-heartbeat/lusaka.json`. */
export function heartbeatKey(site: Site): string {
  return `${HEARTBEAT_PREFIX}${site}.json`;
}

/** The heartbeat object's content: `{"site":"lusaka","writtenAt":"2026-01-05T08:00:00.000Z"}`. */
export function heartbeatBody(site: Site, writtenAt: Date): string {
  return JSON.stringify({ site, writtenAt: writtenAt.toISOString() });
}

/** A heartbeat whose content is not what a writer of `expectedSite` puts. */
export class HeartbeatContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeartbeatContentError';
  }
}

/** Reads a heartbeat object's content: when it was written, in milliseconds since the epoch. */
export function parseHeartbeat(text: string, expectedSite: Site): number {
  let content: unknown;
  try {
    content = JSON.parse(text) as unknown;
  } catch {
    throw new HeartbeatContentError(`content is not JSON (expected {"site":"${expectedSite}","writtenAt":"<ISO time>"})`);
  }
  const { site, writtenAt } = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  if (site !== expectedSite) {
    throw new HeartbeatContentError(`site is ${JSON.stringify(site)} (expected "${expectedSite}", the sourceSite of the config)`);
  }
  const time = typeof writtenAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(writtenAt) ? Date.parse(writtenAt) : Number.NaN;
  if (Number.isNaN(time)) throw new HeartbeatContentError(`writtenAt is ${JSON.stringify(writtenAt)} (expected an ISO 8601 time)`);
  return time;
}
