import { describe, expect, it } from 'vitest';
import { createTokenBucket, type Clock } from '../src/telegram/limiter.ts';

/** A clock that only moves when the limiter sleeps, so waits are exact and instant. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('per-bot token bucket', () => {
  it('lets a burst through, then spaces calls at the rate', async () => {
    const clock = fakeClock();
    const limiter = createTokenBucket(30, 30, clock);
    for (let i = 0; i < 30; i += 1) await limiter.take();
    expect(clock.slept).toEqual([]);
    await limiter.take();
    await limiter.take();
    // one call per 1/30 s once the burst is spent
    expect(clock.slept).toHaveLength(2);
    for (const ms of clock.slept) expect(ms).toBeGreaterThanOrEqual(33);
    expect(clock.now()).toBeGreaterThanOrEqual(66);
  });

  it('serves waiting callers in arrival order', async () => {
    const clock = fakeClock();
    const limiter = createTokenBucket(10, 1, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => limiter.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.now()).toBeGreaterThanOrEqual(200);
  });
});
