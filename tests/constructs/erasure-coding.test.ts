import { erasureLayout, erasureSetSize } from '../../constructs/erasure-coding';

describe('erasure coding: the sets MinIO forms and what they survive', () => {
  test.each([
    [{ servers: 1, drivesPerServer: 4 }, 4],
    [{ servers: 3, drivesPerServer: 4 }, 12],
    [{ servers: 4, drivesPerServer: 4 }, 16],
    [{ servers: 4, drivesPerServer: 8 }, 16],
    [{ servers: 2, drivesPerServer: 2 }, 4],
    [{ servers: 5, drivesPerServer: 3 }, 15],
    [{ servers: 32, drivesPerServer: 1 }, 16],
  ])('%j forms sets of %i drives', (pool, size) => {
    expect(erasureSetSize(pool)).toBe(size);
  });

  test('no set: one drive, or a count no size 2-16 spreads evenly', () => {
    expect(erasureSetSize({ servers: 1, drivesPerServer: 1 })).toBeUndefined();
    expect(erasureSetSize({ servers: 17, drivesPerServer: 1 })).toBeUndefined();
  });

  test("production's 3 x 4 drives with parity 4 keep both quorums with a server gone", () => {
    expect(erasureLayout({ servers: 3, drivesPerServer: 4 }, 4)).toEqual({
      drives: 12, setSize: 12, sets: 1, parity: 4, dataShards: 8, readQuorum: 8, writeQuorum: 8, drivesPerSetOnOneServer: 4, survivesOneServer: true, usableFraction: 8 / 12,
    });
  });

  test('parity of exactly half a set needs one more drive to write, so 2 x 2 loses writes with a server gone', () => {
    expect(erasureLayout({ servers: 2, drivesPerServer: 2 }, 2)).toMatchObject({ setSize: 4, readQuorum: 2, writeQuorum: 3, survivesOneServer: false });
  });

  test('one server never survives its own loss', () => {
    expect(erasureLayout({ servers: 1, drivesPerServer: 4 }, 2)).toMatchObject({ survivesOneServer: false });
  });
});
