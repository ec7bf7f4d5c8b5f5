// One NATS connection per process. It never gives up reconnecting: a NATS restart is a
// pause, not a crash. Status changes are logged so operators can see them.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logger.ts';

export async function connectNats(
  url: string,
  name: string,
  logger: Logger,
): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
  });
  logger.info({ server: nc.getServer() }, 'connected to NATS');
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') {
        logger.warn({ status: status.type }, 'NATS connection interrupted');
      } else if (status.type === 'reconnect') {
        logger.info({ server: nc.getServer() }, 'NATS reconnected');
      } else if (status.type === 'error') {
        logger.error({ err: status.error }, 'NATS error');
      }
    }
  })();
  return nc;
}
