// Copies a message the projection cannot apply to the dead-letter stream with the
// reason, as kit's consumer loop does, and terminates it so it is never redelivered.
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { Naming } from '@nezuko/kit';
import { subjects, type ConsumerSpec } from '@nezuko/proto';

export async function deadLetter(
  js: JetStreamClient,
  names: Naming,
  spec: ConsumerSpec,
  msg: JsMsg,
  reason: string,
): Promise<void> {
  const durable = names.durable(spec.durable);
  const hdrs = natsHeaders();
  for (const key of msg.headers?.keys() ?? []) hdrs.set(key, msg.headers?.get(key) ?? '');
  hdrs.set('Nats-Msg-Id', `dlq:${durable}:${msg.info.streamSequence}`);
  hdrs.set('nz-dlq-reason', reason.slice(0, 1000));
  hdrs.set('nz-dlq-subject', msg.subject);
  hdrs.set('nz-dlq-stream', names.stream(spec.stream));
  hdrs.set('nz-dlq-stream-seq', String(msg.info.streamSequence));
  hdrs.set('nz-dlq-deliveries', String(msg.info.deliveryCount));
  await js.publish(names.subject(subjects.deadLetter(spec.durable)), msg.data, { headers: hdrs });
  msg.term(reason);
}
