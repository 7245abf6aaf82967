import type { BucketReplication } from '../constructs/bucket-replication';
import { elasticsearchAlertGroup } from '../constructs/elasticsearch-alerts';
import { MonitoringRules } from '../constructs/monitoring-rules';
import { platformAlertGroups } from '../constructs/platform-alerts';
import type { SiteProbe } from '../constructs/site-probe';
import { availabilitySloGroups, loanServiceAvailabilitySlo } from '../constructs/slo-alerts';
import type { SqlServerLogShipping } from '../constructs/sql-server-log-shipping';
import type { CertificateMetrics } from '../constructs/tls-certificate';
import type { Environment, SiteName } from '../environments/schema';
import type { SiteLayers } from './platform';

/** The name of each site's rules component (in its observability stack). */
export const MONITORING_RULES_ID = 'monitoring-rules';

/** The certificates of a site whose expiry and readiness are alerted on. */
export function alertedCertificates(site: SiteLayers, siteProbe?: SiteProbe): CertificateMetrics[] {
  return [
    site.traffic.certManager.root.metrics,
    ...[...site.traffic.gatewayCertificates.certificates.values()].map((certificate) => certificate.metrics),
    site.security.vault.certificate.metrics,
    site.data.minio.certificate.metrics,
    site.data.minio.replicationCertificate.metrics,
    site.data.sqlServer.certificate.metrics,
    ...(siteProbe?.trustCertificate === undefined ? [] : [siteProbe.trustCertificate.metrics]),
  ];
}

/**
 * A site's alert and recording rules, from the typed alert inputs of its components and the
 * cross-site links (built in the cross-site pass, in the site's observability stack): the platform's
 * alerts for the site's role (backups and replication source at the primary, restores and the
 * replication heartbeat at the disaster-recovery site, the probe of the other site at both) and
 * the log cluster's alerts, and the loan-service's availability SLO.
 */
export function buildMonitoringRules(
  environment: Environment,
  siteName: SiteName,
  site: SiteLayers,
  links: { readonly replication: BucketReplication; readonly logShipping: SqlServerLogShipping; readonly siteProbe: SiteProbe },
): MonitoringRules {
  return new MonitoringRules(site.observability.stack, MONITORING_RULES_ID, {
    cluster: site.base.cluster,
    ruleSets: [
      {
        name: 'platform',
        groups: platformAlertGroups({
          siteRole: environment.sites[siteName].role,
          replication: links.replication.alertInputs,
          sqlServer: links.logShipping.alertInputs,
          certificates: alertedCertificates(site, links.siteProbe),
          vaultSnapshots: site.data.vaultSnapshots,
          siteProbe: links.siteProbe.alertInputs,
        }),
      },
      { name: 'logging', groups: [elasticsearchAlertGroup(site.observability.elasticsearchExporter.alertInputs)] },
      { name: 'loan-service-slo', groups: availabilitySloGroups(loanServiceAvailabilitySlo({ namespace: site.apps.loanService.namespace, objectivePercent: environment.objectives.availabilityPercent })) },
    ],
  });
}

/**
 * The Markdown table of every alert of an environment (README "Monitoring"), from the rules the
 * platform builds: name, severity, how long the condition must hold, which site role evaluates
 * it, and its summary. A test keeps README's copy equal to this.
 */
export function alertTable(primary: MonitoringRules, standby: MonitoringRules): string {
  const where = new Map<string, Set<string>>();
  const byName = new Map<string, MonitoringRules['alerts'][number]>();
  for (const [role, rules] of [
    ['primary', primary],
    ['disaster recovery', standby],
  ] as const) {
    for (const alert of rules.alerts) {
      byName.set(alert.name, byName.get(alert.name) ?? alert);
      where.set(alert.name, (where.get(alert.name) ?? new Set()).add(role));
    }
  }
  const rows = [...byName.values()]
    .sort((a, b) => (a.severity === b.severity ? a.name.localeCompare(b.name) : a.severity === 'page' ? -1 : 1))
    .map((alert) => {
      const roles = where.get(alert.name)!;
      const site = roles.size === 2 ? 'both' : [...roles][0];
      return `| \`${alert.name}\` | ${alert.severity} | ${alert.forDuration} | ${site} | ${alert.summary.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, '<$1>').replace(/\|/g, '\\|')} |`;
    });
  return ['| alert | severity | for | evaluated at | summary |', '|---|---|---|---|---|', ...rows].join('\n');
}
