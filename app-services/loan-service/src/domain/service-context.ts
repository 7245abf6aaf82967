import type { Identity } from '../auth/identity';
import type { AuditLogSink } from '../observability/audit-log';

/** What a domain operation needs to know about the request it serves. */
export interface ServiceContext {
  readonly identity: Identity;
  /** The request logger: audit lines go through it so they carry the request id. */
  readonly log: AuditLogSink;
}

/** The clock, injectable so tests can pin timestamps. */
export type Clock = () => Date;
