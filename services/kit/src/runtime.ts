// What every service's composition root needs before wiring its own parts: logger,
// telemetry, NATS (core + JetStream), naming and the event bus.
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BaseConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createEventBus, type EventBus } from './nats/bus.ts';
import { connectNats } from './nats/connection.ts';
import { naming, type Naming } from './nats/naming.ts';
import { startTelemetry, type Telemetry } from './telemetry.ts';

export interface Runtime {
  readonly service: string;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly bus: EventBus;
  /** Drains NATS (finishing pending publishes) and flushes telemetry. */
  close(): Promise<void>;
}

export async function startRuntime(service: string, config: BaseConfig): Promise<Runtime> {
  const logger = createLogger(service, config.LOG_LEVEL);
  const telemetry = startTelemetry(service, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const nc = await connectNats(config.NATS_URL, service, logger);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const names = naming(config.NZ_NAMESPACE);
  return {
    service,
    logger,
    telemetry,
    nc,
    js,
    jsm,
    names,
    bus: createEventBus(js, names),
    async close() {
      await nc.drain().catch(() => undefined);
      await telemetry.shutdown().catch(() => undefined);
    },
  };
}

/** Readiness: the server answers a ping within a second. */
export function natsReady(nc: NatsConnection): () => Promise<boolean> {
  return async () => {
    if (nc.isClosed() || nc.isDraining()) return false;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), 1000).unref(),
    );
    await Promise.race([nc.rtt(), timeout]);
    return true;
  };
}
