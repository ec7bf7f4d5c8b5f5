// A token bucket in front of every Bot API call of one bot. Telegram allows about 30
// calls per second per bot; staying under it avoids 429s instead of recovering from them.
// Callers queue in arrival order, so a burst is smoothed, not reordered.

export interface RateLimiter {
  /** Resolves when the caller may make one call. */
  take(): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function createTokenBucket(
  ratePerSecond: number,
  burst = ratePerSecond,
  clock: Clock = systemClock,
): RateLimiter {
  let tokens = burst;
  let refilledAt = clock.now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * ratePerSecond);
    refilledAt = now;
  };

  const acquire = async () => {
    refill();
    while (tokens < 1) {
      await clock.sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
      refill();
    }
    tokens -= 1;
  };

  return {
    take() {
      const turn = queue.then(acquire);
      queue = turn;
      return turn;
    },
  };
}
