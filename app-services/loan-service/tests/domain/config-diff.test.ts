import { diffPayloads } from '../../src/domain/config-diff';

describe('diffPayloads', () => {
  it('lists changed, added and removed leaves by path, in a stable order', () => {
    const before = { maxActive: 2, rules: [{ branch: 'a', approvers: ['x'] }, { branch: 'b' }] };
    const after = { rules: [{ branch: 'a', approvers: ['x', 'y'] }], required: true };
    expect(diffPayloads(before, after)).toEqual([
      { path: 'rules[0].approvers[1]', change: 'added', before: null, after: 'y' },
      { path: 'required', change: 'added', before: null, after: true },
      { path: 'maxActive', change: 'removed', before: 2, after: null },
      { path: 'rules[1].branch', change: 'removed', before: 'b', after: null },
    ]);
  });

  it('finds nothing between equal payloads, and everything against none', () => {
    expect(diffPayloads({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
    expect(diffPayloads({}, { a: 1 })).toEqual([{ path: 'a', change: 'added', before: null, after: 1 }]);
  });
});
