/** The minimal logger surface the audit log needs (pino and fastify's request logger fit). */
export interface AuditLogSink {
  info(object: Record<string, unknown>, message: string): void;
}

/** One state change, recorded with who did it and the state before and after. */
export interface AuditEvent {
  /** User id of the caller. */
  readonly actor: string;
  /** e.g. `application.approve`, `config.loan_product.propose`. */
  readonly action: string;
  /** What changed, e.g. `{ type: 'loan_application', id: '...' }`. */
  readonly entity: { readonly type: string; readonly id: string };
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Writes an audit line: `{"audit":true,"actor":...,"action":...,"entity":...,"before":...,"after":...,"at":...}`.
 * Written through the request logger so the line also carries the request id; Filebeat routes
 * lines with `audit: true` to the audit index.
 */
export function writeAuditLog(sink: AuditLogSink, event: AuditEvent, at: string): void {
  sink.info({ audit: true, ...event, at }, `audit ${event.action}`);
}

/**
 * The fields whose values differ between two versions of a record, as `before` and `after`
 * halves of an audit event: the line then says what changed and nothing else about the record.
 */
export function changedFields<Entity extends object>(before: Entity, after: Entity): { before: Partial<Entity>; after: Partial<Entity> } {
  const changedBefore: Partial<Entity> = {};
  const changedAfter: Partial<Entity> = {};
  for (const key of Object.keys(after) as Array<keyof Entity>) {
    if (Object.is(before[key], after[key])) continue;
    changedBefore[key] = before[key];
    changedAfter[key] = after[key];
  }
  return { before: changedBefore, after: changedAfter };
}
