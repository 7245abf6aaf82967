import { AlertmanagerConfig, type AlertmanagerConfigProps } from '../../constructs/alertmanager-config';
import { Duration } from '../../constructs/duration';

const props: AlertmanagerConfigProps = { siteDownSymptoms: ['SqlServerMetricsMissing', 'ObjectStoreHeartbeatMissing'] };
const config = AlertmanagerConfig.define(props);

describe('AlertmanagerConfig', () => {
  test('pages to the on-call pager, tickets (and anything else) to the queue, grouped by alert and site', () => {
    expect(config.config.route).toEqual({
      receiver: 'tickets',
      group_by: ['alertname', 'site'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '1d',
      routes: [
        { receiver: 'on-call-pager', matchers: ['severity="page"'], repeat_interval: '1h' },
        { receiver: 'tickets', matchers: ['severity="ticket"'] },
      ],
    });
  });

  test('SiteDown holds back the same site\'s symptoms', () => {
    expect(config.config.inhibit_rules).toEqual([
      { source_matchers: ['alertname="SiteDown"'], target_matchers: ['alertname=~"ObjectStoreHeartbeatMissing|SqlServerMetricsMissing"'], equal: ['site'] },
    ]);
  });

  test('receivers are webhooks whose URLs are files under /vault/secrets: no secret in the configuration', () => {
    expect(config.config.receivers).toEqual([
      { name: 'on-call-pager', webhook_configs: [{ url_file: '/vault/secrets/on-call-pager-url', send_resolved: true }] },
      { name: 'tickets', webhook_configs: [{ url_file: '/vault/secrets/tickets-url', send_resolved: true }] },
    ]);
    expect(config.secretFiles).toEqual(['/vault/secrets/on-call-pager-url', '/vault/secrets/tickets-url']);
    expect(config.toYaml()).not.toMatch(/https?:/);
    expect(config.toYaml().split('\n').slice(0, 3)).toEqual(['route:', '  receiver: tickets', '  group_by:']);
  });

  test('intervals and receivers can be set', () => {
    const custom = AlertmanagerConfig.define({ ...props, pager: { name: 'pager', urlFile: 'pager.url' }, pageRepeatInterval: Duration.minutes(30), groupBy: ['alertname'] });
    expect(custom.config.route.routes![0]).toEqual({ receiver: 'pager', matchers: ['severity="page"'], repeat_interval: '30m' });
    expect(custom.config.route.group_by).toEqual(['alertname']);
  });

  test.each([
    [{ siteDownSymptoms: [] }, 'AlertmanagerConfig: siteDownSymptoms: [] is not allowed (allowed: the names of the alerts a site outage sets off, at least one)'],
    [{ siteDownSymptoms: ['SiteDown'] }, 'AlertmanagerConfig: siteDownSymptoms: "SiteDown" is not allowed (allowed: CamelCase alert names other than "SiteDown", e.g. "SqlServerMetricsMissing")'],
    [{ siteDownSymptoms: ['A', 'A'] }, 'AlertmanagerConfig: siteDownSymptoms: "A" is not allowed (allowed: each alert name once)'],
    [{ pager: { name: 'Pager', urlFile: 'x' } }, 'AlertmanagerConfig: pager.name: "Pager" is not allowed (allowed: lower-case letters and digits in words joined by "-", e.g. "on-call-pager")'],
    [{ ticket: { name: 'tickets', urlFile: '../url' } }, 'AlertmanagerConfig: ticket.urlFile: "../url" is not allowed (allowed: a file name in /vault/secrets/, e.g. "on-call-pager-url")'],
    [{ ticket: { name: 'on-call-pager', urlFile: 'x' } }, 'AlertmanagerConfig: ticket.name: "on-call-pager" is not allowed (allowed: a receiver name other than the pager\'s "on-call-pager")'],
    [{ groupBy: [] }, 'AlertmanagerConfig: groupBy: [] is not allowed (allowed: distinct label names, at least one, e.g. ["alertname", "site"])'],
    [{ groupWait: '30s' }, 'AlertmanagerConfig: groupWait: "30s" is not allowed (allowed: a Duration)'],
  ])('refuses %j', (override, message) => {
    expect(() => AlertmanagerConfig.define({ ...props, ...(override as Partial<AlertmanagerConfigProps>) })).toThrow(message);
  });
});
