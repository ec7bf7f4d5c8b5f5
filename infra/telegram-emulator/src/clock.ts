// Where the emulator reads the time. Domain code takes time as a value; only the
// composition root and the HTTP layer ask a clock, so tests can move time.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Telegram dates are whole seconds. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
