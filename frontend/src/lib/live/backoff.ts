// Reconnect delays: exponential from 0.5 s to a 30 s ceiling with "equal jitter", so a
// restarted read API is not hit by every open dashboard in the same millisecond.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * Delay before reconnect attempt number `attempt` (1 = first retry). `random` is in [0, 1);
 * the result lies in [ceiling / 2, ceiling).
 */
export function reconnectDelay(
  attempt: number,
  random: number,
  policy: BackoffPolicy = defaultBackoff,
): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
