// "Model changed" notices from the projector (core NATS, fire-and-forget), coalesced per
// model so a burst of writes becomes one refresh hint every `intervalMs`.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger, Naming } from '@nezuko/kit';
import { subjects } from '@nezuko/proto';

export interface ModelNotice {
  readonly model: string;
  readonly seq: number;
}

export interface ModelNotices {
  /** Every notice as it arrives (for cache invalidation). */
  onEach(listener: (notice: ModelNotice) => void): () => void;
  /** At most one notice per model per interval, carrying the latest seq (for clients). */
  onCoalesced(listener: (notice: ModelNotice) => void): () => void;
  stop(): void;
}

export function watchModelNotices(
  nc: NatsConnection,
  names: Naming,
  logger: Logger,
  intervalMs = 500,
): ModelNotices {
  const each = new Set<(n: ModelNotice) => void>();
  const coalesced = new Set<(n: ModelNotice) => void>();
  const pending = new Map<string, { seq: number; timer: NodeJS.Timeout }>();
  const prefix = names.subject(subjects.modelChanged('x')).slice(0, -1);
  const subscription: Subscription = nc.subscribe(names.subject(subjects.modelChangedAll), {
    callback: (error, msg) => {
      if (error) return logger.warn({ err: error }, 'model notice subscription error');
      const model = msg.subject.slice(prefix.length);
      let seq = 0;
      try {
        seq = Number(msg.json<{ seq?: unknown }>().seq) || 0;
      } catch {
        return;
      }
      const notice = { model, seq };
      for (const listener of each) listener(notice);
      const waiting = pending.get(model);
      if (waiting) {
        waiting.seq = Math.max(waiting.seq, seq);
        return;
      }
      const timer = setTimeout(() => {
        const latest = pending.get(model);
        pending.delete(model);
        for (const listener of coalesced) listener({ model, seq: latest?.seq ?? seq });
      }, intervalMs);
      timer.unref();
      pending.set(model, { seq, timer });
    },
  });
  const add = (set: Set<(n: ModelNotice) => void>, listener: (n: ModelNotice) => void) => {
    set.add(listener);
    return () => void set.delete(listener);
  };
  return {
    onEach: (listener) => add(each, listener),
    onCoalesced: (listener) => add(coalesced, listener),
    stop() {
      subscription.unsubscribe();
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
