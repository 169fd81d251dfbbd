import { describe, expect, it } from 'vitest';
import { dropOldest } from '../../src/util/bounded-map';

describe('dropOldest', () => {
  it('drops the entries inserted first until the map holds at most max', () => {
    const map = new Map([1, 2, 3, 4].map((n) => [n, `v${n}`]));
    dropOldest(map, 2);
    expect([...map.keys()]).toEqual([3, 4]);
    dropOldest(map, 5);
    expect([...map.keys()]).toEqual([3, 4]);
    dropOldest(map, 0);
    expect(map.size).toBe(0);
  });
});
