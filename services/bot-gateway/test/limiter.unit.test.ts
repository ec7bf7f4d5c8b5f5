// The per-bot call spacing: whatever the timers do, no window of window + margin holds
// more than the limit, so Telegram (counting arrivals per second) never sees more.
import { describe, expect, it } from 'vitest';
import { createCallSpacing, type Clock } from '../src/telegram/limiter.ts';

/** A clock that only moves when the limiter sleeps; `late` makes every timer fire late. */
function fakeClock(late: (n: number) => number = () => 0): Clock & { grants: number[] } {
  let now = 0;
  let sleeps = 0;
  return {
    grants: [],
    now: () => now,
    sleep: (ms) => {
      now += ms + late(sleeps++);
      return Promise.resolve();
    },
  };
}

/** The most grants in any half-open window [t, t + windowMs). */
function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= windowMs) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function grants(clock: Clock, calls: number, limit = 30, marginMs = 100) {
  const spacing = createCallSpacing(limit, { clock, marginMs });
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: calls }, () => spacing.take().then(() => times.push(clock.now()))),
  );
  return times;
}

describe('per-bot call spacing', () => {
  it('never lets more than the limit into any second, even a second stretched by the margin', async () => {
    const times = await grants(fakeClock(), 300);
    expect(busiest(times, 1000)).toBeLessThanOrEqual(28);
    expect(busiest(times, 1099)).toBeLessThanOrEqual(30);
    // Still close to the limit: 300 calls take about 11 s, not much more.
    expect(times.at(-1)).toBeLessThan(11_100);
  });

  it('keeps the bound when timers fire late and irregularly (a busy event loop)', async () => {
    const times = await grants(
      fakeClock((n) => (n % 7 === 0 ? 80 : n % 3)),
      300,
    );
    for (let i = 1; i < times.length; i += 1)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1100 / 30);
    expect(busiest(times, 1099)).toBeLessThanOrEqual(30);
    // Any 31 consecutive calls span the window plus the margin (a bucket's 1/rate: exactly 1 s).
    for (let i = 30; i < times.length; i += 1)
      expect(times[i]! - times[i - 30]!).toBeGreaterThanOrEqual(1100);
  });

  it('serves waiting callers in arrival order', async () => {
    const spacing = createCallSpacing(10, { clock: fakeClock() });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => spacing.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });
});
