// What every service's composition root needs before wiring its own parts: logger,
// telemetry, NATS (core + JetStream), naming, the event bus and the operator settings
// (watched live; the service's own log level follows them).
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BaseConfig } from './config.ts';
import { applyLogLevel, watchGlobalSettings, type GlobalSettingsWatch } from './globalSettings.ts';
import { createLogger, type Logger } from './logger.ts';
import { createLogShipper, type LogShipper } from './logShipper.ts';
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
  /** Ships the logger's records to NZ_LOGS (LOG_STREAM_LEVEL and up). */
  readonly logShipper: LogShipper;
  /** The operator settings from NZ_CONFIG, latest first, then every change. */
  readonly globalSettings: GlobalSettingsWatch;
  /** Flushes shipped logs, drains NATS (finishing pending publishes) and flushes telemetry. */
  close(): Promise<void>;
}

export async function startRuntime(service: string, config: BaseConfig): Promise<Runtime> {
  // The shipper reports its own trouble to stdout only: a record about failing to ship
  // records must not queue for shipping behind them.
  const stdoutOnly = createLogger(service, config.LOG_LEVEL).child({ component: 'log-shipper' });
  const logShipper = createLogShipper({
    service,
    capacity: config.LOG_STREAM_BUFFER,
    report: (message, error) => stdoutOnly.warn({ err: error }, message),
  });
  const logger = createLogger(service, config.LOG_LEVEL, undefined, {
    level: config.LOG_STREAM_LEVEL,
    destination: logShipper.destination,
  });
  const telemetry = startTelemetry(service, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const nc = await connectNats(config.NATS_URL, service, logger);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const names = naming(config.NZ_NAMESPACE);
  logShipper.attach({ nc, js, names, meter: telemetry.meter });
  const globalSettings = await watchGlobalSettings(js, names, logger).catch((error: unknown) => {
    // No bucket means the setup step predates it: run on the environment's settings.
    logger.warn({ err: error }, 'operator settings unavailable; using the environment');
    return unwatched;
  });
  globalSettings.onChange((settings) => applyLogLevel(logger, service, settings));
  return {
    service,
    logger,
    telemetry,
    nc,
    js,
    jsm,
    names,
    bus: createEventBus(js, names),
    logShipper,
    globalSettings,
    async close() {
      await globalSettings.stop();
      await logShipper.flush().catch(() => undefined);
      logShipper.stop();
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

const unwatched: GlobalSettingsWatch = {
  current: () => undefined,
  onChange: () => undefined,
  stop: () => Promise.resolve(),
};
