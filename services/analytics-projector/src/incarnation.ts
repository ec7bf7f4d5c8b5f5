// Which NZ_EVENTS a checkpoint counts in. Stream sequences start again at 1 when the
// stream is deleted and created again (a reset, a restore, a wrong setup); a projector
// that trusted its old checkpoint would take the new stream's first events for ones it
// already applied and acknowledge them without writing. The stream's creation time is
// its incarnation: recorded with the checkpoint, compared before trusting it.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Naming } from '@nezuko/kit';
import type { Kysely } from 'kysely';
import type { Database } from './readModel/index.ts';

export type IncarnationCheck =
  | { readonly kind: 'same'; readonly created: string }
  /** The checkpoint had none recorded (new, or from before incarnations): it has now. */
  | { readonly kind: 'recorded'; readonly created: string }
  | { readonly kind: 'recreated'; readonly recorded: string; readonly current: string };

/** NZ_EVENTS' creation time as JetStream reports it (nanosecond ISO text). */
export async function streamIncarnation(jsm: JetStreamManager, names: Naming): Promise<string> {
  const info = await jsm.streams.info(names.stream('NZ_EVENTS'));
  return info.created;
}

/** Compares the checkpoint's incarnation with the stream's, recording it on first sight. */
export async function checkIncarnation(
  db: Kysely<Database>,
  projection: string,
  current: string,
): Promise<IncarnationCheck> {
  const recorded = await db
    .updateTable('projection_checkpoints')
    .set({ stream_created: current })
    .where('projection', '=', projection)
    .where('stream_created', 'is', null)
    .returning('stream_created')
    .executeTakeFirst();
  if (recorded) return { kind: 'recorded', created: current };
  const row = await db
    .selectFrom('projection_checkpoints')
    .select('stream_created')
    .where('projection', '=', projection)
    .executeTakeFirstOrThrow();
  return row.stream_created === current
    ? { kind: 'same', created: current }
    : { kind: 'recreated', recorded: row.stream_created ?? '', current };
}
