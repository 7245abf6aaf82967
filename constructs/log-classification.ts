import { LOAN_SERVICE_NAME } from '../charts-ts/loan-service-chart';
import type { LogClass } from './log-classes';
import { LogCondition, fieldValue, type FieldPath, type LogEvent } from './log-condition';
import { siteNamespaces } from './namespaces';

/**
 * Which class of log each event belongs to, as data: the Logstash pipeline's conditionals
 * are rendered from these rules and the tests evaluate the same rules on real lines.
 */

/** Where Filebeat's `add_kubernetes_metadata` puts the pod's namespace and the container's name. */
export const NAMESPACE_FIELD: FieldPath = ['kubernetes', 'namespace'];
export const CONTAINER_FIELD: FieldPath = ['kubernetes', 'container', 'name'];
/** Where the pipeline decodes a JSON line to (the raw line stays in `message`). */
export const JSON_TARGET = 'json';

/**
 * The Vault chart's server container (its StatefulSet in the security namespace); the Vault
 * agents the injector adds to other pods are `vault-agent` and `vault-agent-init`.
 * @see https://github.com/hashicorp/vault-helm/blob/main/templates/server-statefulset.yaml
 */
export const VAULT_SERVER_CONTAINER = 'vault';
/**
 * The Traefik chart's container (the ingress gateway in the platform namespace).
 * @see https://github.com/traefik/traefik-helm-chart/blob/master/traefik/templates/_podtemplate.tpl
 */
export const TRAEFIK_CONTAINER = 'traefik';
/** HTTP statuses of a refused request: the caller is not authenticated (401) or not allowed (403). */
export const REFUSED_STATUSES = [401, 403] as const;

const json = (...path: string[]): FieldPath => [JSON_TARGET, ...path];

/** One rule: events it matches belong to `logClass`. */
export interface ClassificationRule {
  readonly logClass: LogClass;
  /** What the rule catches and why it is that class, for people and the rendered pipeline's comments. */
  readonly what: string;
  readonly when: LogCondition;
}

const namespaces = siteNamespaces();
const container = (namespace: string, name: string) => LogCondition.all(LogCondition.equals(NAMESPACE_FIELD, namespace), LogCondition.equals(CONTAINER_FIELD, name));

/**
 * The rules in order: the first that matches decides; an event no rule matches is `system`.
 *
 * - Vault's audit device writes to the server's standard output (`VaultAudit.file('stdout')`),
 *   one JSON object a line with `type` `request` or `response` and a `request` object (`auth`
 *   too once a token is known); the server's own log lines are text on the same stream.
 * - The loan-service writes JSON lines (pino); its audit lines carry `"audit": true`
 *   (`writeAuditLog`), every other line of it is the application's own.
 * - Traefik writes JSON access-log lines (`accessLog.format: json`) with the status it
 *   answered in `DownstreamStatus`; a 401 or 403 is a refused request.
 * - The API server's refusals do not reach container logs: its audit log is a file on the
 *   control-plane nodes, which this pipeline does not read.
 */
export const CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  {
    logClass: 'audit',
    what: "Vault's audit log: every request and response, secrets HMAC'd",
    when: LogCondition.all(container(namespaces.security, VAULT_SERVER_CONTAINER), LogCondition.oneOf(json('type'), ['request', 'response']), LogCondition.present(json('request'))),
  },
  {
    logClass: 'audit',
    what: "The loan-service's audit lines: who changed which record, before and after",
    when: LogCondition.all(container(namespaces.apps, LOAN_SERVICE_NAME), LogCondition.present(json('audit'))),
  },
  {
    logClass: 'security',
    what: "Vault's server log: authentication, seal and unseal, leadership",
    when: container(namespaces.security, VAULT_SERVER_CONTAINER),
  },
  {
    logClass: 'security',
    what: 'Requests the ingress refused as unauthenticated or forbidden',
    when: LogCondition.all(container(namespaces.platform, TRAEFIK_CONTAINER), LogCondition.oneOf(json('DownstreamStatus'), [...REFUSED_STATUSES])),
  },
  {
    logClass: 'application',
    what: "The loan-service's own log: requests, start-up, errors",
    when: container(namespaces.apps, LOAN_SERVICE_NAME),
  },
];

/** The class when no rule matches. */
export const DEFAULT_LOG_CLASS: LogClass = 'system';

/** The class of `event` (fields as Filebeat sends them, a JSON line decoded into `json`). */
export function classifyEvent(event: LogEvent): LogClass {
  return CLASSIFICATION_RULES.find((rule) => rule.when.matches(event))?.logClass ?? DEFAULT_LOG_CLASS;
}

/**
 * A Zambian National Registration Card number, `123456/78/1`, also URL-encoded in a request
 * line (`123456%2F78%2F1`), not inside a longer run of digits. Written without backslashes so
 * the same text is a JavaScript, Ruby and Java regular expression and a Logstash string.
 */
export const NATIONAL_ID_PATTERN = '(?<![0-9])[0-9]{6}(/|%2[Ff])[0-9]{2}(/|%2[Ff])[0-9](?![0-9])';
/** What a masked number reads as. */
export const NATIONAL_ID_MASK = '******/**/*';

/** `text` with every national id masked, as the pipeline's `gsub` writes it. */
export function maskNationalIds(text: string): string {
  return text.replace(new RegExp(NATIONAL_ID_PATTERN, 'g'), NATIONAL_ID_MASK);
}

/** Classes whose lines keep national ids: audit records must show the record as it was. */
export const UNMASKED_CLASSES: readonly LogClass[] = ['audit'];

/** A line with nothing but white space (or none): dropped, it carries nothing. */
export const BLANK_LINE_PATTERN = '^\\s*$';
/** A line that starts like a JSON object: decoded into `json`. */
export const JSON_LINE_PATTERN = '^\\s*\\{';

/**
 * What the pipeline's filter does with one event, evaluated in TypeScript: `undefined` when
 * the event is dropped (a blank line), else its class and the event as it is written (the
 * line decoded into `json` when it is a JSON object, national ids masked outside audit).
 */
export function filterEvent(event: LogEvent): { readonly logClass: LogClass; readonly event: LogEvent } | undefined {
  const message = fieldValue(event, ['message']);
  if (typeof message !== 'string' || new RegExp(BLANK_LINE_PATTERN).test(message)) return undefined;
  const decoded = (line: string): LogEvent => {
    if (!new RegExp(JSON_LINE_PATTERN).test(line)) return { ...event, message: line };
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...event, message: line, [JSON_TARGET]: parsed } : { ...event, message: line };
    } catch {
      return { ...event, message: line };
    }
  };
  const parsed = decoded(message);
  const logClass = classifyEvent(parsed);
  if (UNMASKED_CLASSES.includes(logClass)) return { logClass, event: parsed };
  const masked = maskNationalIds(message);
  return { logClass, event: masked === message ? parsed : decoded(masked) };
}
