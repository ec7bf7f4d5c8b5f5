// Keeps every protected group's configuration in memory from the group events in
// NZ_EVENTS. At start it replays `nz.evt.group.>` from the beginning through an ordered
// (ephemeral, per-process) consumer; it is "caught up" once it has applied everything that
// was in the stream when it started, and then keeps following new group events live.
//
// Why not fold group events from the shared durable: with several replicas behind that
// durable each group event reaches only one of them, and the others would decide with a
// stale configuration. An ordered consumer per process gives every replica every group
// event, in order.
import { decodeEvent, type Logger, type Naming } from '@nezuko/kit';
import type { JetStreamClient, ConsumerMessages } from '@nats-io/jetstream';
import { evolveGroup, isGroupEvent, type GroupConfig } from './domain/groups.ts';

export interface GroupFeed {
  get(groupId: string): GroupConfig | undefined;
  all(): GroupConfig[];
  caughtUp(): boolean;
  whenCaughtUp(): Promise<void>;
  /** Resolves true once the group event stored at `sequence` is applied, false on timeout. */
  waitFor(sequence: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface GroupFeedDeps {
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly logger: Logger;
}

export function startGroupFeed(deps: GroupFeedDeps): GroupFeed {
  const { js, names } = deps;
  const log = deps.logger.child({ component: 'group-feed' });
  const stream = names.stream('NZ_EVENTS');
  const filter = names.subject('nz.evt.group.>');
  const groups = new Map<string, GroupConfig>();
  let applied = 0;
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let caughtUp = false;
  let markCaughtUp = () => {};
  const caughtUpPromise = new Promise<void>((resolve) => {
    markCaughtUp = () => {
      if (caughtUp) return;
      caughtUp = true;
      log.info({ groups: groups.size, sequence: applied }, 'group configuration replayed');
      resolve();
    };
  });
  const waiters = new Set<{ sequence: number; resolve: (ok: boolean) => void }>();

  const apply = (
    sequence: number,
    headers: Parameters<typeof decodeEvent>[0],
    data: Uint8Array,
  ) => {
    try {
      const { event } = decodeEvent(headers, data);
      if (isGroupEvent(event)) {
        const groupId = event.event.groupId;
        if (event.type === 'group.migrated') {
          const moved = groups.get(groupId);
          const newId = event.event.newGroupId;
          if (moved) groups.set(newId, { ...moved, groupId: newId });
        }
        const next = evolveGroup(groups.get(groupId), event);
        if (next) groups.set(groupId, next);
        else groups.delete(groupId);
      }
    } catch (error) {
      // A group event that cannot be read is skipped; the durable consumer dead-letters it.
      log.error({ err: error, sequence }, 'unreadable group event skipped');
    }
    applied = sequence;
    for (const waiter of waiters) {
      if (waiter.sequence <= applied) {
        waiters.delete(waiter);
        waiter.resolve(true);
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(stream, {
          filter_subjects: filter,
          ...(applied > 0 ? { opt_start_seq: applied + 1 } : {}),
        });
        if ((await consumer.info(true)).num_pending === 0) markCaughtUp();
        messages = await consumer.consume();
        for await (const msg of messages) {
          apply(msg.info.streamSequence, msg.headers, msg.data);
          if (msg.info.pending === 0) markCaughtUp();
          if (stopped) break;
        }
      } catch (error) {
        if (stopped) break;
        log.warn({ err: error }, 'group feed interrupted; resuming');
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const running = loop();

  return {
    get: (groupId) => groups.get(groupId),
    all: () => [...groups.values()],
    caughtUp: () => caughtUp,
    whenCaughtUp: () => caughtUpPromise,
    waitFor(sequence, timeoutMs) {
      if (sequence <= applied) return Promise.resolve(true);
      return new Promise((resolve) => {
        const waiter = {
          sequence,
          resolve: (ok: boolean) => {
            clearTimeout(timer);
            resolve(ok);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          resolve(false);
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      stopped = true;
      await messages?.close().catch(() => undefined);
      await running;
      for (const waiter of waiters) waiter.resolve(false);
      waiters.clear();
    },
  };
}
