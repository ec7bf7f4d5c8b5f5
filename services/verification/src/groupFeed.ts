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
import { defaultSettings, effectiveSettings, type PromptDefaults } from './domain/settings.ts';

export interface GroupFeed {
  /** A group with the settings it uses (the operator's prompt defaults if never configured). */
  get(groupId: string): GroupConfig | undefined;
  /** The operator's prompt defaults changed (dashboard settings): applies to the next get. */
  setPromptDefaults(defaults: PromptDefaults): void;
  /**
   * The id the group has now: a basic group that became a supergroup is found under its new
   * id (buttons under messages posted before the move still name the old one).
   */
  currentId(groupId: string): string;
  /**
   * Stream sequence of the group's last applied `settings_changed` (0 = none): a settings
   * change made in Telegram is appended only if it is still the last (optimistic
   * concurrency, like the dashboard's If-Match).
   */
  settingsSequence(groupId: string): number;
  /** Waits until the group's settings stored so far are applied (after a conflict). */
  catchUpSettings(groupId: string): Promise<void>;
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

/** How long a conflicting settings change waits for the feed to apply the winner. */
const catchUpWaitMs = 2000;

export function startGroupFeed(deps: GroupFeedDeps): GroupFeed {
  const { js, names } = deps;
  const log = deps.logger.child({ component: 'group-feed' });
  const stream = names.stream('NZ_EVENTS');
  const filter = names.subject('nz.evt.group.>');
  const groups = new Map<string, GroupConfig>();
  const movedTo = new Map<string, string>();
  const settingsSeq = new Map<string, number>();
  let unconfigured = defaultSettings;
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
          movedTo.set(groupId, newId);
        }
        if (event.type === 'group.settings_changed') settingsSeq.set(groupId, sequence);
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

  const waitFor = (sequence: number, timeoutMs: number) => {
    if (sequence <= applied) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
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
  };

  return {
    get(groupId) {
      const group = groups.get(groupId);
      return group && group.settings === defaultSettings
        ? { ...group, settings: unconfigured }
        : group;
    },
    setPromptDefaults(defaults) {
      unconfigured = effectiveSettings(defaultSettings, defaults);
    },
    currentId(groupId) {
      let id = groupId;
      // A chain is at most basic -> supergroup; the bound only guards against a bad event.
      for (let hops = 0; hops < 4; hops++) id = movedTo.get(id) ?? id;
      return id;
    },
    all: () => [...groups.values()],
    caughtUp: () => caughtUp,
    whenCaughtUp: () => caughtUpPromise,
    waitFor,
    settingsSequence: (groupId) => settingsSeq.get(groupId) ?? 0,
    async catchUpSettings(groupId) {
      const jsm = await js.jetstreamManager();
      const last = await jsm.streams
        .getMessage(stream, {
          last_by_subj: names.subject(`nz.evt.group.${groupId}.settings_changed`),
        })
        .catch(() => null);
      if (last) await waitFor(last.seq, catchUpWaitMs);
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
