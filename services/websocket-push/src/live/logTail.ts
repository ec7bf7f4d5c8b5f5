// The live tail of application logs (NZ_LOGS) for the `logs` topic: an ordered consumer
// from "now" (re-attaching after the last record seen), coalesced into one batch per
// interval. A batch carries at most `maxPerInterval` records, the newest; the rest are
// counted as skipped, so a log storm costs each dashboard a bounded number of frames.
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import type { Logger, Naming } from '@nezuko/kit';
import { subjects } from '@nezuko/proto';
import { toLogItem, type LogItem } from '../domain/logItem.ts';

export interface LogBatch {
  readonly items: readonly LogItem[];
  /** Records of this interval left out because there were more than the bound. */
  readonly skipped: number;
}

export interface LogTail {
  attached(): boolean;
  onBatch(listener: (batch: LogBatch) => void): () => void;
  stop(): Promise<void>;
}

export interface LogTailOptions {
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly maxPerInterval?: number;
}

export function startLogTail(options: LogTailOptions): LogTail {
  const { js, names } = options;
  const intervalMs = options.intervalMs ?? 250;
  const maxPerInterval = options.maxPerInterval ?? 100;
  const log = options.logger.child({ component: 'log-tail' });
  const stream = names.stream('NZ_LOGS');
  const listeners = new Set<(batch: LogBatch) => void>();
  let pending: LogItem[] = [];
  let skipped = 0;
  let lastSeq = 0;
  let attached = false;
  let stopped = false;
  let messages: ConsumerMessages | undefined;

  const collect = (item: LogItem) => {
    if (listeners.size === 0) return;
    pending.push(item);
    if (pending.length > maxPerInterval) {
      pending.shift();
      skipped += 1;
    }
  };

  const flush = setInterval(() => {
    if (pending.length === 0 && skipped === 0) return;
    const batch: LogBatch = { items: pending, skipped };
    pending = [];
    skipped = 0;
    for (const listener of listeners) listener(batch);
  }, intervalMs);
  flush.unref();

  const follow = async () => {
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(stream, {
          filter_subjects: names.subject(subjects.logsAll),
          ...(lastSeq === 0
            ? { deliver_policy: DeliverPolicy.New }
            : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSeq + 1 }),
        });
        messages = await consumer.consume({ max_messages: 512 });
        attached = true;
        for await (const msg of messages) {
          lastSeq = msg.seq;
          collect(
            toLogItem(names, {
              seq: msg.seq,
              subject: msg.subject,
              time: new Date(Math.floor(msg.info.timestampNanos / 1_000_000)),
              text: msg.string(),
            }),
          );
        }
      } catch (error) {
        if (!stopped) log.warn({ err: error }, 'log tail interrupted; re-attaching');
      }
      attached = false;
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const following = follow();

  return {
    attached: () => attached,
    onBatch(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearInterval(flush);
      await messages?.close().catch(() => undefined);
      await following;
    },
  };
}
