import { planRestore, type BackupSet, type BackupSetType, type RestorePlan, type RestoreStart } from '../../src/restore/plan-restore';

/** LSNs past 2^53, as SQL Server's numeric(25,0) has them: only BigInt compares them exactly. */
const BASE = 37_000_000_000_000_000_000n;
const lsn = (offset: number): bigint => BASE + BigInt(offset);

let minute = 0;
function backup(type: BackupSetType, key: string, first: number, last: number, extra: Partial<BackupSet> & { checkpoint?: number; base?: number } = {}): BackupSet {
  minute += 1;
  const { checkpoint, base, ...rest } = extra;
  return {
    keys: [`lusaka/lms/${key}`],
    type,
    databaseName: 'lms',
    firstLsn: lsn(first),
    lastLsn: lsn(last),
    checkpointLsn: lsn(checkpoint ?? first),
    differentialBaseLsn: base === undefined ? null : lsn(base),
    finishedAt: new Date(Date.UTC(2026, 0, 5, 8, minute)),
    ...rest,
  };
}

const keysOf = (plan: RestorePlan) => plan.steps.map((step) => `${step.backup.keys.join('+')}${step.replace ? ' (REPLACE)' : ''}`);
const EMPTY: RestoreStart = { kind: 'empty', reseed: false };
const RESEED: RestoreStart = { kind: 'empty', reseed: true };
const restoring = (last: number, base: number | null = 100, finishedAt: Date | null = null): RestoreStart => ({
  kind: 'restoring',
  lastLsn: lsn(last),
  baseCheckpointLsn: base === null ? null : lsn(base),
  finishedAt,
});

// The primary's history: a full (checkpoint 100) and logs every 100 LSNs, a differential on the full.
const full1 = backup('full', 'F1.bak', 90, 120, { checkpoint: 100 });
const log1 = backup('log', 'L1.trn', 50, 200);
const log2 = backup('log', 'L2.trn', 200, 300);
const dif1 = backup('differential', 'D1.dif', 280, 310, { checkpoint: 290, base: 100 });
const log3 = backup('log', 'L3.trn', 300, 400);
const log4 = backup('log', 'L4.trn', 400, 500);

describe('planRestore', () => {
  it('starts an empty copy from the full backup and the newest differential on it, then logs in FirstLSN order whatever order they arrived in', () => {
    const plan = planRestore([log4, log3, dif1, log2, log1, full1], EMPTY, 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/F1.bak', 'lusaka/lms/D1.dif', 'lusaka/lms/L3.trn', 'lusaka/lms/L4.trn']);
    expect(plan.gap).toBeUndefined();
    expect(plan.recoveryPoint).toEqual(log4.finishedAt);
    expect(plan.waitingForFullBackup).toBe(false);
    expect(plan.skipped).toEqual([]);
  });

  it('without a differential, applies the log that spans the full backup\'s LastLSN first', () => {
    expect(keysOf(planRestore([log3, log2, log1, full1], EMPTY, 'lms'))).toEqual(['lusaka/lms/F1.bak', 'lusaka/lms/L1.trn', 'lusaka/lms/L2.trn', 'lusaka/lms/L3.trn']);
  });

  it('orders by LSN, not by key or finish time', () => {
    const late = { ...log2, keys: ['lusaka/lms/99999999T999999Z-log.trn'], finishedAt: new Date(Date.UTC(2030, 0, 1)) };
    expect(keysOf(planRestore([log3, late, log1], restoring(120), 'lms'))).toEqual([
      'lusaka/lms/L1.trn',
      'lusaka/lms/99999999T999999Z-log.trn',
      'lusaka/lms/L3.trn',
    ]);
  });

  it('skips backups already restored and continues a restoring copy', () => {
    const plan = planRestore([full1, log1, log2, log3, log4], restoring(300), 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/L3.trn', 'lusaka/lms/L4.trn']);
    expect(plan.recoveryPoint).toEqual(log4.finishedAt);
  });

  it('has nothing to do when every backup is restored, keeping the recovery point it had', () => {
    const had = new Date(Date.UTC(2026, 0, 5, 7));
    expect(planRestore([full1, log1, log2], restoring(300, 100, had), 'lms')).toEqual({ steps: [], recoveryPoint: had, waitingForFullBackup: false, skipped: [] });
  });

  it('stops at a gap, naming the LSN reached and the next one present', () => {
    const plan = planRestore([full1, log1, log3, log4], restoring(120), 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/L1.trn']);
    expect(plan.gap).toEqual({ fromLsn: lsn(200), nextAvailableLsn: lsn(300), newerFullAvailable: false });
    expect(plan.recoveryPoint).toEqual(log1.finishedAt);
  });

  it('heals a gap with a newer differential on the same base, then goes on with the logs', () => {
    const plan = planRestore([log4, log3, dif1, log1], restoring(120), 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/L1.trn', 'lusaka/lms/D1.dif', 'lusaka/lms/L3.trn', 'lusaka/lms/L4.trn']);
    expect(plan.gap).toBeUndefined();
  });

  it('does not heal a gap with a differential on another full backup, and says a newer full exists', () => {
    const otherBase = backup('differential', 'D2.dif', 280, 310, { checkpoint: 290, base: 250 });
    const full2 = backup('full', 'F2.bak', 240, 260, { checkpoint: 250 });
    const plan = planRestore([log1, otherBase, full2, log3], restoring(120), 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/L1.trn']);
    expect(plan.gap).toEqual({ fromLsn: lsn(200), nextAvailableLsn: lsn(300), newerFullAvailable: true });
  });

  it('cannot use differentials when the base of the restoring copy is unknown', () => {
    expect(planRestore([dif1], restoring(120, null), 'lms').steps).toEqual([]);
  });

  it('keeps every stripe of a full backup in its step', () => {
    const striped = { ...full1, keys: ['lusaka/lms/F-1of2.bak', 'lusaka/lms/F-2of2.bak'] };
    expect(keysOf(planRestore([striped, log1], EMPTY, 'lms'))).toEqual(['lusaka/lms/F-1of2.bak+lusaka/lms/F-2of2.bak', 'lusaka/lms/L1.trn']);
  });

  it('reseeds with REPLACE on the first restore only, from the newest full backup', () => {
    const full2 = backup('full', 'F2.bak', 310, 330, { checkpoint: 320 });
    const plan = planRestore([full1, log1, log2, log3, log4, full2], RESEED, 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/F2.bak (REPLACE)', 'lusaka/lms/L3.trn', 'lusaka/lms/L4.trn']);
  });

  it('takes the newest full backup even when its chain stops at a gap that no older chain gets past', () => {
    const full2 = backup('full', 'F2.bak', 310, 330, { checkpoint: 320 });
    const plan = planRestore([full1, log1, log2, full2, log4], EMPTY, 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/F2.bak']);
    expect(plan.gap).toEqual({ fromLsn: lsn(330), nextAvailableLsn: lsn(400), newerFullAvailable: false });
  });

  it('prefers an older full backup whose differential bridges a gap that cuts off the newer one', () => {
    const full2 = backup('full', 'F2.bak', 310, 330, { checkpoint: 320 });
    const bridge = backup('differential', 'D3.dif', 390, 410, { checkpoint: 395, base: 100 });
    const plan = planRestore([full1, log1, log2, full2, bridge, log4], EMPTY, 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/F1.bak', 'lusaka/lms/D3.dif', 'lusaka/lms/L4.trn']);
    expect(plan.gap).toBeUndefined();
  });

  it('takes the newer of two full backups whose chains reach as far', () => {
    const full2 = backup('full', 'F2.bak', 310, 330, { checkpoint: 320 });
    expect(keysOf(planRestore([full1, log1, log2, log3, log4, full2], EMPTY, 'lms'))).toEqual(['lusaka/lms/F2.bak', 'lusaka/lms/L3.trn', 'lusaka/lms/L4.trn']);
  });

  it('skips backup sets of another database', () => {
    const stranger = { ...log1, databaseName: 'lms_old' };
    const plan = planRestore([full1, stranger, log2], EMPTY, 'lms');
    expect(keysOf(plan)).toEqual(['lusaka/lms/F1.bak']);
    expect(plan.gap).toEqual({ fromLsn: lsn(120), nextAvailableLsn: lsn(200), newerFullAvailable: false });
    expect(plan.skipped).toEqual([{ key: 'lusaka/lms/L1.trn', reason: 'a backup of database "lms_old", not "lms"' }]);
  });

  it('waits for a full backup when the copy is empty and there is none', () => {
    expect(planRestore([log1, log2], EMPTY, 'lms')).toEqual({ steps: [], recoveryPoint: null, waitingForFullBackup: true, skipped: [] });
  });

  it('compares LSNs that differ only past 2^53 exactly', () => {
    const a = backup('log', 'A.trn', 1, 2);
    const b = backup('log', 'B.trn', 2, 3);
    expect(Number(a.lastLsn) === Number(b.lastLsn)).toBe(true);
    expect(keysOf(planRestore([b, a], restoring(1), 'lms'))).toEqual(['lusaka/lms/A.trn', 'lusaka/lms/B.trn']);
  });
});
