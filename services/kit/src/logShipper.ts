// Ships a service's log records to the NZ_LOGS stream (nz.log.<service>.<level>) so the
// read API and the dashboard can show them. Logging never waits on NATS: pino hands the
// already-redacted line to a bounded buffer (the oldest record is dropped and counted when
// it is full) and a background pump publishes it in batches. The shipper's own trouble is
// reported through `report` (stdout only), never back into the stream, so a NATS outage
// cannot feed on itself.
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { subjects } from '@nezuko/proto';
import type { Meter } from '@opentelemetry/api';
import type { Naming } from './nats/naming.ts';

export interface LogShipperOptions {
  readonly service: string;
  /** Records kept while NATS is slow or away; beyond it the oldest are dropped. */
  readonly capacity?: number;
  /** Most records in one publish round. */
  readonly batchSize?: number;
  /** How long a record may wait for its batch to fill. */
  readonly lingerMs?: number;
  /** Publish acknowledgement timeout. */
  readonly publishTimeoutMs?: number;
  /** Where the shipper tells an operator about its own state changes (not the stream). */
  readonly report?: (message: string, error?: unknown) => void;
}

export interface LogShipTarget {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly meter?: Meter | undefined;
}

export interface LogShipperStats {
  readonly published: number;
  readonly dropped: number;
  readonly buffered: number;
}

export interface LogShipper {
  /** The pino destination: takes one serialised record per call and returns at once. */
  readonly destination: { write(line: string): void };
  /** Starts publishing; records logged before it wait in the buffer. */
  attach(target: LogShipTarget): void;
  /** Publishes what is buffered, giving up after `timeoutMs` (shutdown, tests). */
  flush(timeoutMs?: number): Promise<void>;
  stats(): LogShipperStats;
  /** Stops the pump; buffered records are discarded (call flush first to keep them). */
  stop(): void;
}

interface Pending {
  readonly level: string;
  readonly line: string;
}

// pino writes the level first (see the level formatter in logger.ts).
const levelOfLine = /^\{"level":"([a-z]+)"/;

export function createLogShipper(options: LogShipperOptions): LogShipper {
  const capacity = options.capacity ?? 5000;
  const batchSize = options.batchSize ?? 200;
  const lingerMs = options.lingerMs ?? 200;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const report = options.report ?? (() => undefined);

  // A queue with a moving head: dropping the oldest is O(1), compacted now and then.
  let queue: Pending[] = [];
  let head = 0;
  let published = 0;
  let dropped = 0;
  let target: LogShipTarget | null = null;
  let connected = false;
  let stopped = false;
  let pumping: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failing = false;

  const buffered = () => queue.length - head;

  const take = (count: number): Pending[] => {
    const batch = queue.slice(head, head + count);
    head += batch.length;
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return batch;
  };

  function schedule(): void {
    if (stopped || pumping || timer || !connected || buffered() === 0) return;
    if (buffered() >= batchSize) {
      void startPump();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      if (connected && !stopped) void startPump();
    }, lingerMs);
    timer.unref();
  }

  const publishBatch = async (ship: LogShipTarget, batch: readonly Pending[]) => {
    const results = await Promise.allSettled(
      batch.map((record) =>
        ship.js.publish(
          ship.names.subject(subjects.log(options.service, record.level)),
          record.line,
          { timeout: publishTimeoutMs },
        ),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    published += results.length - failures.length;
    dropped += failures.length;
    if (failures.length > 0 && !failing) {
      failing = true;
      report('log shipping to NATS is failing; records are being dropped', failures[0]?.reason);
    } else if (failures.length === 0 && failing) {
      failing = false;
      report('log shipping to NATS recovered');
    }
  };

  // Publishing starts on a later tick, never inside the logging call.
  function startPump(): Promise<void> {
    if (pumping) return pumping;
    const run = (async () => {
      await Promise.resolve();
      while (target && connected && !stopped && buffered() > 0) {
        await publishBatch(target, take(batchSize));
      }
    })()
      .catch((error: unknown) => report('log shipping failed', error))
      .finally(() => {
        pumping = null;
        schedule();
      });
    pumping = run;
    return run;
  }

  const watchConnection = async (nc: NatsConnection) => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') connected = false;
      else if (status.type === 'reconnect') {
        connected = true;
        schedule();
      }
    }
    connected = false;
  };

  return {
    destination: {
      write(line) {
        if (stopped) return;
        const level = levelOfLine.exec(line)?.[1] ?? 'info';
        queue.push({ level, line: line.endsWith('\n') ? line.slice(0, -1) : line });
        if (buffered() > capacity) {
          take(1);
          dropped += 1;
        }
        schedule();
      },
    },
    attach(ship) {
      target = ship;
      connected = !ship.nc.isClosed();
      void watchConnection(ship.nc).catch(() => (connected = false));
      ship.meter
        ?.createObservableCounter('nezuko_log_records_dropped_total', {
          description: 'Log records not shipped to NZ_LOGS (buffer full or publish failed)',
        })
        .addCallback((result) => result.observe(dropped));
      ship.meter
        ?.createObservableCounter('nezuko_log_records_published_total', {
          description: 'Log records shipped to NZ_LOGS',
        })
        .addCallback((result) => result.observe(published));
      schedule();
    },
    async flush(timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      while (Date.now() < deadline && connected && (buffered() > 0 || pumping)) {
        await Promise.race([startPump(), new Promise((r) => setTimeout(r, 50))]);
      }
    },
    stats: () => ({ published, dropped, buffered: buffered() }),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      queue = [];
      head = 0;
    },
  };
}
