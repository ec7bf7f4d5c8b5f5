// Verification decisions straight from JetStream, for dashboards: a live tail (an ordered
// consumer starting right after the last decision that existed when we attached, so no
// decision falls between "latest known" and "live") and per-client replays by stream
// sequence, so a reconnecting dashboard fills exactly the decisions it missed.
import {
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type MsgRequest,
} from '@nats-io/jetstream';
import { toVerificationRecord } from '@nezuko/analytics-projector';
import { decodeEvent, type Logger, type Naming } from '@nezuko/kit';
import { subjects } from '@nezuko/proto';
import { activityFromRecord, type ActivityItem } from '../domain/activity.ts';
import type { GroupTitles } from './groupTitles.ts';

export interface VerificationPush {
  readonly seq: number;
  readonly item: ActivityItem;
}

export type ReplayResult =
  | { readonly outcome: 'complete'; readonly sent: number }
  | { readonly outcome: 'too_far_behind'; readonly pending: number };

export interface LiveFeed {
  /** Stream sequence of the newest decision seen (0 before any). */
  latestSeq(): number;
  attached(): boolean;
  onVerification(listener: (push: VerificationPush) => void): () => void;
  /** Sends the decisions in (afterSeq, untilSeq], oldest first, unless there are more than `limit`. */
  replay(
    afterSeq: number,
    untilSeq: number,
    send: (push: VerificationPush) => void,
    limit: number,
  ): Promise<ReplayResult>;
  stop(): Promise<void>;
}

export interface LiveFeedDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly titles: GroupTitles;
  readonly logger: Logger;
}

export function startLiveFeed(deps: LiveFeedDeps): LiveFeed {
  const { js, jsm, names, titles } = deps;
  const log = deps.logger.child({ component: 'live-feed' });
  const stream = names.stream('NZ_EVENTS');
  const filter = names.subject(subjects.eventsOfAggregate('verify'));
  const listeners = new Set<(push: VerificationPush) => void>();
  let latest = 0;
  let positioned = false;
  let attached = false;
  let stopped = false;
  let messages: ConsumerMessages | undefined;

  // A decision the projector would dead-letter is not pushed either.
  const toPush = async (msg: JsMsg): Promise<VerificationPush | null> => {
    try {
      const { envelope, event } = decodeEvent(msg.headers, msg.data);
      if (event.type !== 'verify.decided') return null;
      const record = toVerificationRecord(event.event, {
        seq: msg.seq,
        eventId: envelope.id,
        occurredAt: envelope.occurredAt,
      });
      return {
        seq: msg.seq,
        item: activityFromRecord(record, await titles.lookup(record.groupId)),
      };
    } catch (error) {
      log.debug({ err: error, seq: msg.seq }, 'skipping an undecodable decision');
      return null;
    }
  };

  const follow = async () => {
    while (!stopped) {
      try {
        if (!positioned) {
          const last = await jsm.streams.getMessage(stream, { last_by_subj: filter });
          latest = last?.seq ?? 0;
          positioned = true;
        }
        const consumer = await js.consumers.get(stream, {
          filter_subjects: filter,
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: latest + 1,
        });
        messages = await consumer.consume({ max_messages: 256 });
        attached = true;
        for await (const msg of messages) {
          const push = await toPush(msg);
          latest = Math.max(latest, msg.seq);
          if (push) for (const listener of listeners) listener(push);
        }
      } catch (error) {
        if (!stopped) log.warn({ err: error }, 'live feed interrupted; re-attaching');
      }
      attached = false;
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const following = follow();

  return {
    latestSeq: () => latest,
    attached: () => attached,
    onVerification(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async replay(afterSeq, untilSeq, send, limit) {
      if (untilSeq <= afterSeq) return { outcome: 'complete', sent: 0 };
      // The server answers "first message at or after seq on this subject" (2.9+); the
      // client's type lists only the exact and last-for-subject forms.
      const first = await jsm.streams.getMessage(stream, {
        seq: afterSeq + 1,
        next_by_subj: filter,
      } as MsgRequest);
      if (first === null || first.seq > untilSeq) return { outcome: 'complete', sent: 0 };
      const consumer = await js.consumers.get(stream, {
        filter_subjects: filter,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: first.seq,
      });
      const replaying = await consumer.consume({ max_messages: Math.min(limit, 256) });
      let sent = 0;
      try {
        for await (const msg of replaying) {
          if (msg.seq > untilSeq) break;
          // Pending counts the decisions after this one up to the stream's end; untilSeq is
          // the live position when the client subscribed, so the two differ by a moment.
          if (sent === 0 && msg.info.pending + 1 > limit) {
            return { outcome: 'too_far_behind', pending: msg.info.pending + 1 };
          }
          const push = await toPush(msg);
          if (push) {
            send(push);
            sent += 1;
          }
          if (msg.seq >= untilSeq || msg.info.pending === 0) break;
        }
      } finally {
        await replaying.close().catch(() => undefined);
        await consumer.delete().catch(() => undefined);
      }
      return { outcome: 'complete', sent };
    },
    async stop() {
      stopped = true;
      await messages?.close().catch(() => undefined);
      await following;
    },
  };
}
