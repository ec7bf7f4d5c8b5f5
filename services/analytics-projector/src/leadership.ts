// One active projector per projection: it repositions the shared durable consumer, so a
// second instance must wait. A Postgres session-level advisory lock does it; the lock
// dies with the session, so a crashed leader frees it at once and a standby takes over.
import pg from 'pg';
import type { Logger } from '@nezuko/kit';

export interface Leadership {
  /** Settles if the session holding the lock ends unexpectedly: the process must stop projecting. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

export async function acquireLeadership(
  url: string,
  projection: string,
  options: { logger: Logger; signal: AbortSignal; pollMs?: number },
): Promise<Leadership> {
  const client = new pg.Client({
    connectionString: url,
    application_name: `nezuko-${projection}-leader`,
  });
  let released = false;
  // Settles only on an unexpected end, never because we released the lock ourselves.
  const lost = new Promise<Error>((resolve) => {
    const onLost = (error: Error) => {
      if (released) return;
      options.logger.error({ err: error }, 'projection leadership lost');
      resolve(error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('leadership session ended')));
  });
  await client.connect();
  let waiting = false;
  while (!options.signal.aborted) {
    const { rows } = await client.query<{ acquired: boolean }>(
      'select pg_try_advisory_lock(hashtextextended($1, 0)) as acquired',
      [`nezuko.projection.${projection}`],
    );
    if (rows[0]?.acquired) {
      options.logger.info({ projection }, 'projection leadership acquired');
      return {
        lost,
        async release() {
          released = true;
          await client.end().catch(() => undefined);
        },
      };
    }
    if (!waiting) options.logger.info({ projection }, 'another projector is active; standing by');
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
  released = true;
  await client.end().catch(() => undefined);
  throw new Error('stopped while waiting for leadership');
}
