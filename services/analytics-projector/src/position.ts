// Keeps the durable consumer's delivery in stream order relative to the checkpoint.
//
// The checkpoint makes every event at or below it harmless to see again. The danger is
// the other direction: deliveries a previous process received but never handled stay
// "pending" until their ack wait expires, while JetStream already hands newer events to
// the next process; applying those first would move the checkpoint past the pending
// ones, which would then be skipped. So before attaching, and whenever a gap shows up,
// the durable is recreated to start right after its ack floor (everything at or below
// the floor was handled), with the same declared limits.
import {
  AckPolicy,
  DeliverPolicy,
  type ConsumerInfo,
  type JetStreamManager,
  type MsgRequest,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Naming } from '@nezuko/kit';
import type { ConsumerSpec } from '@nezuko/proto';

export interface Rewind {
  readonly fromSeq: number;
  readonly pending: number;
}

/**
 * Recreates the durable at its ack floor when a previous process left deliveries pending,
 * or unconditionally (no later than `fromSeq`) when a gap was seen in this process.
 */
export async function rewindIfPending(
  jsm: JetStreamManager,
  names: Naming,
  spec: ConsumerSpec,
  fromSeq?: number,
): Promise<Rewind | null> {
  const stream = names.stream(spec.stream);
  const durable = names.durable(spec.durable);
  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch {
    return null; // not set up yet: the consumer loop waits for the setup step
  }
  if (fromSeq === undefined && info.num_ack_pending === 0) return null;
  const startSeq = Math.min(info.ack_floor.stream_seq + 1, fromSeq ?? Number.POSITIVE_INFINITY);
  await jsm.consumers.delete(stream, durable);
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startSeq,
    filter_subject: names.subject(spec.filterSubject),
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.ackWaitSeconds * 1000),
    max_ack_pending: spec.maxAckPending,
  });
  return { fromSeq: startSeq, pending: info.num_ack_pending };
}

/**
 * True when stream messages exist between two deliveries that arrived back to back,
 * i.e. JetStream delivered past events we have not seen (deleted messages are no gap).
 */
export async function skippedMessages(
  jsm: JetStreamManager,
  names: Naming,
  spec: ConsumerSpec,
  afterSeq: number,
  beforeSeq: number,
): Promise<boolean> {
  // The server (2.9+) answers "first message at or after seq on this subject"; the
  // client's type only lists the exact-sequence and last-for-subject forms.
  const request = {
    seq: afterSeq + 1,
    next_by_subj: names.subject(spec.filterSubject),
  } as MsgRequest;
  const next = await jsm.streams.getMessage(names.stream(spec.stream), request);
  return next !== null && next.seq < beforeSeq;
}
