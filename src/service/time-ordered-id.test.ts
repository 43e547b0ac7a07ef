import { describe, expect, it } from 'vitest';
import { timeOrderedIds } from './time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedIds', () => {
  it('should make RFC 9562 version 7 UUIDs carrying the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 4, 5, 30, 0, 123);
    const id = timeOrderedIds(() => at)();
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('should make ids that sort in the order they were made, within and across milliseconds', () => {
    let now = 1_700_000_000_000;
    const newId = timeOrderedIds(() => now);
    const ids: string[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      if (i % 7_000 === 0) now += 1; // more than the 12-bit counter holds in one millisecond
      ids.push(newId());
    }
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('should stay in order when the clock steps back', () => {
    let now = 1_700_000_000_500;
    const newId = timeOrderedIds(() => now);
    const first = newId();
    now -= 400;
    expect(newId() > first).toBe(true);
  });
});
