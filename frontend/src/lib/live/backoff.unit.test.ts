import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff.ts';

describe('reconnectDelay', () => {
  const policy = { initialMs: 500, maxMs: 30_000 };

  it('doubles per attempt, jittered within the upper half', () => {
    expect(reconnectDelay(1, 0, policy)).toBe(250);
    expect(reconnectDelay(1, 0.999, policy)).toBe(500);
    expect(reconnectDelay(3, 0, policy)).toBe(1_000);
    expect(reconnectDelay(3, 0.5, policy)).toBe(1_500);
  });

  it('never waits longer than the ceiling', () => {
    expect(reconnectDelay(50, 0.999, policy)).toBeLessThanOrEqual(30_000);
    expect(reconnectDelay(50, 0, policy)).toBe(15_000);
  });
});
