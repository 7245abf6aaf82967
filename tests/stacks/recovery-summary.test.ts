import { Testing } from 'cdktf';
import { Duration } from '../../constructs/duration';
import { buildPlatform, layerStacks } from '../../stacks/platform';
import { readable, recoverySummary } from '../../stacks/recovery-summary';
import { ENVIRONMENTS } from '../support/environments';

describe('the synth summary of recovery objectives', () => {
  test('each environment\'s computed data loss and recovery time against its objectives', () => {
    const sites = buildPlatform(Testing.app(), ENVIRONMENTS);
    const summary = recoverySummary(ENVIRONMENTS, (environment) => ['lusaka', 'kitwe'].flatMap((site) => layerStacks(sites.get(`${environment.name}-${site}`)!)));
    expect(summary).toBe(
      [
        'recovery objectives (SQL Server log shipping, computed from each environment file):',
        '  dev: worst-case data loss 2 h 15 min (objective 4 h); estimated recovery time 2 h 30 min (objective 1 d), of which 10 min restore 7 GiB from backups alone',
        '  staging: worst-case data loss 40 min (objective 1 h); estimated recovery time 2 h 34 min (objective 4 h), of which 18 min restore 46 GiB from backups alone',
        '  production: worst-case data loss 35 min (objective 1 h); estimated recovery time 2 h 37 min (objective 4 h), of which 46 min restore 320 GiB from backups alone',
        '',
      ].join('\n'),
    );
  });

  test('durations as people read them', () => {
    expect([Duration.minutes(35), Duration.minutes(135), Duration.days(1), Duration.seconds(90), Duration.minutes(1501)].map(readable)).toEqual(['35 min', '2 h 15 min', '1 d', '2 min', '1 d 1 h 1 min']);
  });
});
