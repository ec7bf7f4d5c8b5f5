// Slows password guessing from one address: at most `limit` attempts per window per IP.
// Per-account lockout lives in the database (admins.failed_logins); this one is per
// process, which is enough to make a guessing run from one address pointless (each
// replica adds its own allowance; the account lock holds across replicas).
export interface LoginThrottle {
  /** Counts an attempt; returns seconds to wait when over the limit, else 0. */
  attempt(ip: string, now: number): number;
}

export function createLoginThrottle(limit: number, windowMs: number): LoginThrottle {
  const attempts = new Map<string, number[]>();
  return {
    attempt(ip, now) {
      const recent = (attempts.get(ip) ?? []).filter((at) => now - at < windowMs);
      if (recent.length >= limit) {
        attempts.set(ip, recent);
        const oldest = recent[0] ?? now;
        return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      }
      recent.push(now);
      attempts.set(ip, recent);
      // Forget quiet addresses so the map cannot grow without bound.
      if (attempts.size > 10_000) {
        for (const [key, times] of attempts)
          if (times.every((at) => now - at >= windowMs)) attempts.delete(key);
      }
      return 0;
    },
  };
}
