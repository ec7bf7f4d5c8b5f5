// Graceful shutdown on SIGTERM/SIGINT: run the drain steps in order (stop intake, finish
// in-flight work, close clients), then exit. If draining exceeds the budget (10 s by
// default, inside Kubernetes' 30 s grace period) the process exits anyway.
import type { Logger } from './logger.ts';

export type ShutdownStep = readonly [name: string, run: () => unknown];

export function onShutdown(
  logger: Logger,
  steps: () => readonly ShutdownStep[],
  timeoutMs = 10_000,
): void {
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    let failed = false;
    for (const [name, run] of steps()) {
      try {
        await run();
      } catch (error) {
        failed = true;
        logger.error({ err: error, step: name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    logger.flush();
    process.exit(failed ? 1 : 0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
