// Sessions end by expiry, logout, a password change or a deleted account, but their rows
// would stay forever: the sweeper deletes dead ones periodically so the table holds only
// sessions that can still be used; old sign-in attempt windows go with them. Safe on every
// replica at once (plain DELETEs).
import type { Logger } from '@nezuko/kit';
import type { Kysely } from 'kysely';
import type { CommandDatabase } from './schema.ts';
import { purgeLoginWindows } from './loginThrottle.ts';
import { purgeDeadSessions } from './sessions.ts';

export interface SessionSweeper {
  /** Purges now (also what the timer does). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startSessionSweeper(
  db: Kysely<CommandDatabase>,
  logger: Logger,
  options: { everyMs?: number; clock?: () => Date } = {},
): SessionSweeper {
  const clock = options.clock ?? (() => new Date());
  let running: Promise<number> = Promise.resolve(0);
  const sweep = () => {
    running = Promise.all([purgeDeadSessions(db, clock()), purgeLoginWindows(db, clock())]).then(
      ([purged]) => {
        if (purged > 0) logger.info({ purged }, 'purged dead sessions');
        return purged;
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'purging dead sessions failed; next sweep retries');
        return 0;
      },
    );
    return running;
  };
  const timer = setInterval(() => void sweep(), options.everyMs ?? 60 * 60_000);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
