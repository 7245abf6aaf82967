import { dump } from 'js-yaml';
import { VAULT_SECRETS_DIR } from '../charts-ts/vault-agent-annotations';
import { Duration } from './duration';
import { PlatformError, formatValue } from './platform-error';

/**
 * The alert a site raises when its probe of the other site fails (`SiteProbe`): labelled with
 * its own `site` (where it is evaluated) and the lost `peer_site`. It holds back, at the same
 * `site`, the alerts the other site's loss sets off there.
 */
export const SITE_DOWN_ALERT = 'SiteDown';
/** Where Alertmanager's pod reads the receivers' URL files: the Vault agent writes them there. */
export const ALERTMANAGER_SECRETS_DIR = VAULT_SECRETS_DIR;

/** A webhook receiver whose URL (which carries its token) is read from a file, never written in the configuration. */
export interface WebhookReceiverProps {
  /** Receiver name: lower-case words joined by `-`. */
  readonly name: string;
  /** File name in {@link ALERTMANAGER_SECRETS_DIR} holding the webhook's URL: `on-call-pager-url`. */
  readonly urlFile: string;
}

export interface AlertmanagerConfigProps {
  /**
   * Where `severity="page"` alerts go: the on-call pager.
   * @default { name: 'on-call-pager', urlFile: 'on-call-pager-url' }
   */
  readonly pager?: WebhookReceiverProps;
  /**
   * Where `severity="ticket"` alerts (and any alert without a severity) go: the ticket queue.
   * @default { name: 'tickets', urlFile: 'tickets-url' }
   */
  readonly ticket?: WebhookReceiverProps;
  /**
   * Alert names that are symptoms of the other site being down (`PEER_SITE_LOSS_SYMPTOMS`):
   * while a site's `SiteDown` fires, they are held back at that site (`site` label equal: both
   * are evaluated by the surviving site's Prometheus), so the on-call engineer gets one page.
   */
  readonly siteDownSymptoms: readonly string[];
  /**
   * Labels alerts are grouped by into one notification.
   * @default ['alertname', 'site']
   */
  readonly groupBy?: readonly string[];
  /**
   * How long a new group waits for more alerts before its first notification.
   * @default Duration.seconds(30)
   */
  readonly groupWait?: Duration;
  /**
   * How long a group waits before notifying of alerts added to it.
   * @default Duration.minutes(5)
   */
  readonly groupInterval?: Duration;
  /**
   * How often a page still firing is sent again.
   * @default Duration.hours(1)
   */
  readonly pageRepeatInterval?: Duration;
  /**
   * How often a ticket still firing is sent again.
   * @default Duration.days(1)
   */
  readonly ticketRepeatInterval?: Duration;
}

interface WebhookReceiverObject {
  readonly name: string;
  readonly webhook_configs: readonly { readonly url_file: string; readonly send_resolved: boolean }[];
}

interface RouteObject {
  readonly receiver: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly routes?: readonly RouteObject[];
}

/** The Alertmanager configuration file, as Alertmanager reads it. */
export interface AlertmanagerConfigObject {
  readonly route: RouteObject;
  readonly inhibit_rules: readonly { readonly source_matchers: readonly string[]; readonly target_matchers: readonly string[]; readonly equal: readonly string[] }[];
  readonly receivers: readonly WebhookReceiverObject[];
}

const RECEIVER_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FILE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const ALERT_NAME = /^[A-Z][a-zA-Z0-9]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const WHERE = 'AlertmanagerConfig';

/**
 * The Alertmanager configuration, typed: pages to the on-call pager, tickets to the ticket
 * queue, grouped by alert name and site, and the symptoms of the other site's loss held back
 * at a site while its `SiteDown` fires. Receivers are webhooks whose URLs Alertmanager reads from files under
 * `/vault/secrets/`, written by the Vault agent (`url_file`, Alertmanager 0.26 and later), so the configuration
 * holds no secret and can be rendered, reviewed and committed.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
export class AlertmanagerConfig {
  /**
   * @throws PlatformError naming the field, the bad value and what is allowed
   */
  public static define(props: AlertmanagerConfigProps): AlertmanagerConfig {
    const pager = receiver('pager', props.pager ?? { name: 'on-call-pager', urlFile: 'on-call-pager-url' });
    const ticket = receiver('ticket', props.ticket ?? { name: 'tickets', urlFile: 'tickets-url' });
    if (pager.name === ticket.name) {
      throw PlatformError.invalidProp(WHERE, 'ticket.name', ticket.name, `a receiver name other than the pager's "${pager.name}"`);
    }
    const groupBy = props.groupBy ?? ['alertname', 'site'];
    if (!Array.isArray(groupBy) || groupBy.length === 0 || groupBy.some((label) => !LABEL_NAME.test(label)) || new Set(groupBy).size !== groupBy.length) {
      throw PlatformError.invalidProp(WHERE, 'groupBy', groupBy, 'distinct label names, at least one, e.g. ["alertname", "site"]');
    }
    const symptoms = props.siteDownSymptoms;
    if (!Array.isArray(symptoms) || symptoms.length === 0) {
      throw PlatformError.invalidProp(WHERE, 'siteDownSymptoms', symptoms, 'the names of the alerts a site outage sets off, at least one');
    }
    for (const name of symptoms) {
      if (typeof name !== 'string' || !ALERT_NAME.test(name) || name === SITE_DOWN_ALERT) {
        throw PlatformError.invalidProp(WHERE, 'siteDownSymptoms', name, `CamelCase alert names other than "${SITE_DOWN_ALERT}", e.g. "SqlServerMetricsMissing"`);
      }
    }
    if (new Set(symptoms).size !== symptoms.length) {
      throw PlatformError.invalidProp(WHERE, 'siteDownSymptoms', symptoms.find((name, index) => symptoms.indexOf(name) !== index), 'each alert name once');
    }
    const duration = (field: string, value: Duration | undefined, fallback: Duration) => {
      if (value !== undefined && !(value instanceof Duration)) throw PlatformError.invalidProp(WHERE, field, value, 'a Duration');
      return (value ?? fallback).toString();
    };
    const config: AlertmanagerConfigObject = {
      route: {
        receiver: ticket.name,
        group_by: [...groupBy],
        group_wait: duration('groupWait', props.groupWait, Duration.seconds(30)),
        group_interval: duration('groupInterval', props.groupInterval, Duration.minutes(5)),
        repeat_interval: duration('ticketRepeatInterval', props.ticketRepeatInterval, Duration.days(1)),
        routes: [
          { receiver: pager.name, matchers: ['severity="page"'], repeat_interval: duration('pageRepeatInterval', props.pageRepeatInterval, Duration.hours(1)) },
          { receiver: ticket.name, matchers: ['severity="ticket"'] },
        ],
      },
      inhibit_rules: [
        {
          source_matchers: [`alertname="${SITE_DOWN_ALERT}"`],
          target_matchers: [`alertname=~"${[...symptoms].sort().join('|')}"`],
          equal: ['site'],
        },
      ],
      receivers: [pager, ticket].map((entry) => ({ name: entry.name, webhook_configs: [{ url_file: `${ALERTMANAGER_SECRETS_DIR}/${entry.urlFile}`, send_resolved: true }] })),
    };
    return new AlertmanagerConfig(config, [`${ALERTMANAGER_SECRETS_DIR}/${pager.urlFile}`, `${ALERTMANAGER_SECRETS_DIR}/${ticket.urlFile}`]);
  }

  private constructor(
    public readonly config: AlertmanagerConfigObject,
    /** The files Alertmanager's pod must have, each holding one webhook URL. */
    public readonly secretFiles: readonly string[],
  ) {}

  /** `alertmanager.yaml`. */
  public toYaml(): string {
    return dump(this.config, { lineWidth: -1, noRefs: true });
  }
}

function receiver(field: string, props: WebhookReceiverProps): WebhookReceiverProps {
  if (typeof props.name !== 'string' || !RECEIVER_NAME.test(props.name)) {
    throw PlatformError.invalidProp(WHERE, `${field}.name`, props.name, 'lower-case letters and digits in words joined by "-", e.g. "on-call-pager"');
  }
  if (typeof props.urlFile !== 'string' || !FILE_NAME.test(props.urlFile)) {
    throw new PlatformError(`${WHERE}: ${field}.urlFile: ${formatValue(props.urlFile)} is not allowed (allowed: a file name in ${ALERTMANAGER_SECRETS_DIR}/, e.g. "on-call-pager-url")`);
  }
  return props;
}
