// The per-bot limit in front of every Bot API call. Telegram allows about 30 calls per
// second per bot and counts them when they arrive, in any 1-second window. A token bucket
// (even with burst 1) spaces calls exactly 1/rate apart, so rate + 1 calls fit in a closed
// second, and any delay between our release and Telegram's clock (a stalled event loop, a
// slower connection for one call) packs them tighter. So calls are spaced
// (window + margin) / limit apart, measured from when each call was actually let through:
// any limit + 1 consecutive calls span at least window + margin, so no window of
// window + margin holds more than `limit` of them, and Telegram sees at most `limit` per
// second as long as the jitter between release and arrival stays under the margin.
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

export interface SpacingOptions {
  /** Telegram's window. */
  readonly windowMs?: number;
  /** Added to the window to absorb jitter between release and arrival at Telegram. */
  readonly marginMs?: number;
  readonly clock?: Clock;
}

/** At most `limit` calls in any window of `windowMs + marginMs`, evenly spaced. */
export function createCallSpacing(limit: number, options: SpacingOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const gapMs = ((options.windowMs ?? 1000) + (options.marginMs ?? defaultMarginMs)) / limit;
  let nextAt = -Infinity;
  let queue: Promise<void> = Promise.resolve();

  const acquire = async () => {
    let now = clock.now();
    // A timer may fire early by a fraction of a millisecond: wait until the slot is reached.
    while (now < nextAt) {
      await clock.sleep(Math.max(1, Math.ceil(nextAt - now)));
      now = clock.now();
    }
    nextAt = now + gapMs;
  };

  return {
    take() {
      const turn = queue.then(acquire);
      queue = turn;
      return turn;
    },
  };
}

/** Default jitter allowance: 10% of Telegram's window. */
export const defaultMarginMs = 100;
