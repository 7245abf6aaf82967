/**
 * The fields every log class's data stream maps, in one component template the class
 * templates share. Small on purpose: the fields people filter and aggregate on, typed; every
 * other string Filebeat or Logstash adds is mapped as a keyword when it first appears, up to
 * the field limit, past which further new fields are kept in `_source` but not indexed
 * (rather than the document being refused and the log line lost).
 *
 * - ECS basics every line carries: `@timestamp`, `message`, `log.level`, the Kubernetes
 *   names Filebeat's `add_kubernetes_metadata` adds (`kubernetes.namespace`,
 *   `kubernetes.pod.name`, `kubernetes.container.name`), `service.name`, `event.dataset`,
 *   and the data stream's own `data_stream.*` (constant per backing index).
 * - The loan-service's JSON lines (pino): `req_id` (fastify's request id), the audit line's
 *   `actor`, `action`, `entity.type`, `entity.id` and `at`. `before` and `after` (whole
 *   records) are kept in `_source` only, never indexed: they hold customer data nobody
 *   should search across, and their shapes change with the schema.
 * - Vault's audit log (file device, JSON): `type` (request or response), `auth.display_name`,
 *   `auth.policies`, `request.id`, `request.operation`, `request.path`,
 *   `request.remote_address`, `error`, under `vault.audit.*` so they never collide with ECS.
 *   Vault HMACs secret values in its audit log; none are indexed here anyway.
 *
 * @see https://www.elastic.co/guide/en/ecs/current/ecs-field-reference.html
 * @see https://developer.hashicorp.com/vault/docs/audit#audit-request-and-response-entries
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-settings-limit.html
 */

/** One field's mapping (the subset of Elasticsearch's mapping parameters the platform uses). */
export interface FieldMapping {
  readonly type?: 'date' | 'keyword' | 'match_only_text' | 'constant_keyword' | 'object';
  readonly ignore_above?: number;
  readonly enabled?: boolean;
  readonly properties?: Readonly<Record<string, FieldMapping>>;
}

/** The `mappings` of the component template. */
export interface LogMappings {
  readonly dynamic: boolean;
  readonly date_detection: boolean;
  readonly dynamic_templates: readonly Readonly<Record<string, unknown>>[];
  readonly properties: Readonly<Record<string, FieldMapping>>;
}

/** Longest keyword indexed: a longer value (a stack trace in a keyword field) is kept in `_source` only. */
export const KEYWORD_IGNORE_ABOVE = 1024;
/** Most fields one backing index maps; new fields past it are kept unindexed, not refused. */
export const LOG_FIELD_LIMIT = 2000;

const keyword: FieldMapping = { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE };
const object = (properties: Record<string, FieldMapping>): FieldMapping => ({ properties });

/** The mappings every log class shares. */
export function logMappings(): LogMappings {
  return {
    dynamic: true,
    // Strings that look like dates stay keywords: one odd line must not fix a field's type for the day's index.
    date_detection: false,
    dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } } }],
    properties: {
      '@timestamp': { type: 'date' },
      message: { type: 'match_only_text' },
      data_stream: object({ type: { type: 'constant_keyword' }, dataset: { type: 'constant_keyword' }, namespace: { type: 'constant_keyword' } }),
      log: object({ level: keyword }),
      event: object({ dataset: keyword }),
      service: object({ name: keyword }),
      kubernetes: object({ namespace: keyword, pod: object({ name: keyword }), container: object({ name: keyword }) }),
      // The loan-service.
      req_id: keyword,
      actor: keyword,
      action: keyword,
      entity: object({ type: keyword, id: keyword }),
      at: { type: 'date' },
      before: { type: 'object', enabled: false },
      after: { type: 'object', enabled: false },
      // Vault's audit device.
      vault: object({
        audit: object({
          type: keyword,
          error: keyword,
          auth: object({ display_name: keyword, policies: keyword }),
          request: object({ id: keyword, operation: keyword, path: keyword, remote_address: keyword }),
        }),
      }),
    },
  };
}
