import { judge } from '../../objects';
import { inDomain } from '../facts';
import { releasesOf } from '../plan';
import type { AuditCheck } from '../types';

/**
 * Every Helm release's chart comes from an in-country chart repository over https (a host in
 * an approved domain), or is a chart the stack carries itself (`./charts/<name>`).
 */
export const inCountryCharts: AuditCheck = (plan, context) =>
  releasesOf(plan).flatMap((release) => {
    if (release.repository === undefined && release.chart.startsWith('./charts/')) return judge(release.ref, []);
    const allowed = `an https chart repository in ${context.approvedDomains.map((domain) => `*.${domain}`).join(', ')}, or a chart the stack carries (./charts/<name>)`;
    const url = release.repository !== undefined && URL.canParse(release.repository) ? new URL(release.repository) : undefined;
    const ok = url !== undefined && url.protocol === 'https:' && context.approvedDomains.some((domain) => inDomain(url.hostname, domain));
    return judge(release.ref, ok ? [] : [{ path: 'repository', value: release.repository ?? release.chart, allowed }]);
  });
