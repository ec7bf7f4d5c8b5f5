// Slows password guessing from one address: at most `limit` attempts per window per IP,
// counted in Postgres so every replica shares one allowance (a guesser gains nothing by
// landing on several). Per-account lockout lives in the admins table (failed_logins).
// Fixed windows: one upsert per attempt, old windows removed by the session sweeper.
import { sql, type Kysely } from 'kysely';
import type { CommandDatabase } from './schema.ts';

export interface LoginThrottle {
  /** Counts an attempt; resolves to the seconds to wait when over the limit, else 0. */
  attempt(ip: string, now: number): Promise<number>;
}

export function createLoginThrottle(
  db: Kysely<CommandDatabase>,
  limit: number,
  windowMs: number,
): LoginThrottle {
  return {
    async attempt(ip, now) {
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const { rows } = await sql<{ attempts: number }>`
        insert into nz_command.login_ip_attempts as a (ip, window_start, attempts)
        values (${ip}, ${new Date(windowStart)}, 1)
        on conflict (ip, window_start) do update set attempts = a.attempts + 1
        returning attempts
      `.execute(db);
      const attempts = rows[0]?.attempts ?? 1;
      if (attempts <= limit) return 0;
      return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    },
  };
}

/** Windows are at most a day long (LOGIN_IP_WINDOW_MINUTES ≤ 1440). */
const LONGEST_WINDOW_MS = 24 * 60 * 60_000;

/** Removes windows that ended before `now` (with the session sweep). */
export async function purgeLoginWindows(db: Kysely<CommandDatabase>, now: Date): Promise<number> {
  const result = await sql`
    delete from nz_command.login_ip_attempts
     where window_start < ${new Date(now.getTime() - LONGEST_WINDOW_MS)}
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
