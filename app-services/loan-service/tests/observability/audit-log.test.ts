import { changedFields, writeAuditLog } from '../../src/observability/audit-log';

describe('writeAuditLog', () => {
  it('writes one structured line marked audit with who, what, when, before and after', () => {
    const lines: Array<[Record<string, unknown>, string]> = [];
    writeAuditLog(
      { info: (object, message) => lines.push([object, message]) },
      { actor: 'bob', action: 'application.approve', entity: { type: 'loan_application', id: 'a1' }, before: { status: 'submitted' }, after: { status: 'approved' } },
      '2026-01-15T08:00:00.000Z',
    );
    expect(lines).toEqual([
      [
        {
          audit: true, actor: 'bob', action: 'application.approve', entity: { type: 'loan_application', id: 'a1' },
          before: { status: 'submitted' }, after: { status: 'approved' }, at: '2026-01-15T08:00:00.000Z',
        },
        'audit application.approve',
      ],
    ]);
  });
});

describe('changedFields', () => {
  it('keeps only the fields whose values changed, on both sides', () => {
    expect(
      changedFields(
        { id: 'a1', status: 'submitted', decidedBy: null as string | null, principalNgwee: 1_000_000 },
        { id: 'a1', status: 'approved', decidedBy: 'mike' as string | null, principalNgwee: 1_000_000 },
      ),
    ).toEqual({ before: { status: 'submitted', decidedBy: null }, after: { status: 'approved', decidedBy: 'mike' } });
  });
});
