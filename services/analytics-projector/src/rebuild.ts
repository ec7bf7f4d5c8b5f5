// Rebuilds the read model from the whole event stream into a shadow schema while the live
// model keeps serving (and the live projector keeps applying), then swaps the schemas in
// one transaction: the swap takes the projector's swap lock exclusively (between two of
// its batches), brings the shadow up to the live checkpoint, renames `public` to a retired
// name and the shadow to `public`. Readers' next statements see the rebuilt model.
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Naming } from '@nezuko/kit';
import { subjects } from '@nezuko/proto';
import { sql, type Kysely } from 'kysely';
import { PROJECTION } from './app.ts';
import { ensureCheckpoint, readCheckpoint } from './checkpoints.ts';
import { checkIncarnation, streamIncarnation } from './incarnation.ts';
import { yieldEvery } from './batch/yieldEvery.ts';
import { applyBatch, type PlannedEvent } from './projection/batch.ts';
import { planMessage } from './projection/planMessage.ts';
import {
  createPartitionCache,
  createReadModelDb,
  migrateToLatest,
  type Database,
} from './readModel/index.ts';
import { holdSwapLockExclusive } from './swapLock.ts';

export interface RebuildProgress {
  readonly seq: number;
  readonly target: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number;
}

export interface RebuildOptions {
  readonly databaseUrl: string;
  /** The live model (public schema). */
  readonly db: Kysely<Database>;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly batchSize?: number;
  /** Swap into `public` at the end (default true); false leaves the shadow for inspection. */
  readonly swap?: boolean;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  readonly shadow: string;
  readonly retired: string | null;
  readonly events: number;
  readonly seconds: number;
}

export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const shadow = `rebuild_${stamp}`;
  await sql`create schema ${sql.id(shadow)}`.execute(options.db);
  const shadowDb = createReadModelDb(options.databaseUrl, {
    maxConnections: 2,
    applicationName: 'nezuko-rebuild',
    searchPath: shadow,
  });
  const started = performance.now();
  try {
    await migrateToLatest(shadowDb, { schema: shadow });
    await ensureCheckpoint(shadowDb, PROJECTION);
    // The shadow counts in the stream as it is now (the reason to rebuild may be that
    // NZ_EVENTS was recreated: the live projector then waits for this swap).
    const incarnation = await streamIncarnation(options.jsm, options.names);
    await checkIncarnation(shadowDb, PROJECTION, incarnation);
    const stream = options.names.stream('NZ_EVENTS');
    const consumer = await options.js.consumers.get(stream, {
      filter_subjects: options.names.subject(subjects.eventsAll),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: 1,
    });
    const messages = await consumer.consume({ max_messages: 4000 });
    const partitions = createPartitionCache();
    const batchSize = options.batchSize ?? 2000;
    let applied = 0;
    let lastSeq = 0;
    let target = (await options.jsm.streams.info(stream)).state.last_seq;
    let lastReport = performance.now();

    // The shadow's checkpoint, kept here: only this rebuild writes the shadow (each batch
    // still moves it only from this position, see applyBatch).
    let checkpoint = await readCheckpoint(shadowDb, PROJECTION);

    const applyPlanned = async (planned: readonly PlannedEvent[]) => {
      const fresh = planned.filter((e) => e.seq > checkpoint);
      if (fresh.length > 0) {
        const created = await shadowDb.transaction().execute(async (trx) => {
          const result = await applyBatch(trx, fresh, partitions, PROJECTION, checkpoint);
          return result.partitions;
        });
        partitions.remember(created);
        checkpoint = fresh[fresh.length - 1]!.seq;
      }
      applied += planned.length;
      lastSeq = planned[planned.length - 1]!.seq;
      const now = performance.now();
      if (options.onProgress && now - lastReport > 1000) {
        lastReport = now;
        const rate = applied / ((now - started) / 1000);
        options.onProgress({
          seq: lastSeq,
          target,
          eventsPerSecond: Math.round(rate),
          etaSeconds: Math.max(0, Math.round((target - lastSeq) / Math.max(rate, 1))),
        });
      }
    };

    /**
     * Applies deliveries until the shadow checkpoint reaches `until`: one batch written
     * while the next is decoded (as the live projector does), yielding to I/O every few ms.
     */
    const catchUp = async (until: number) => {
      if (lastSeq >= until) return;
      let writing: Promise<void> = Promise.resolve();
      let batch: PlannedEvent[] = [];
      const pause = yieldEvery();
      for await (const msg of messages) {
        batch.push(planMessage(msg).planned);
        const reached = msg.info.streamSequence >= until;
        if (batch.length >= batchSize || reached || msg.info.pending === 0) {
          await writing;
          writing = applyPlanned(batch);
          writing.catch(() => undefined); // surfaces at the next await, not as unhandled
          batch = [];
        }
        if (reached) break;
        await pause();
      }
      await writing;
    };

    // Replay everything there is; the live projector keeps going meanwhile.
    if (target > 0) await catchUp(target);
    let retired: string | null = null;
    if (options.swap !== false) {
      retired = `retired_${stamp}`;
      await options.db.transaction().execute(async (trx) => {
        await holdSwapLockExclusive(trx);
        // The live model's position, frozen while we hold the lock: the shadow must reach it.
        // A checkpoint of an earlier incarnation of the stream is not a position in this one.
        const liveStream = await trx
          .selectFrom('projection_checkpoints')
          .select('stream_created')
          .where('projection', '=', PROJECTION)
          .executeTakeFirst();
        const sameStream = (liveStream?.stream_created ?? incarnation) === incarnation;
        const live = sameStream ? await readCheckpoint(trx, PROJECTION) : 0;
        target = Math.max(target, live);
        await catchUp(live);
        if ((await readCheckpoint(shadowDb, PROJECTION)) < live) {
          throw new Error(`shadow stopped at ${lastSeq}, live is at ${live}`);
        }
        await sql`alter schema public rename to ${sql.id(retired ?? '')}`.execute(trx);
        await sql`alter schema ${sql.id(shadow)} rename to public`.execute(trx);
      });
    }
    await messages.close();
    return { shadow, retired, events: applied, seconds: (performance.now() - started) / 1000 };
  } finally {
    await shadowDb.destroy();
  }
}

/** Each projection's checkpoint and its lag behind the stream. */
export async function projectionStatus(
  db: Kysely<Database>,
  jsm: JetStreamManager,
  names: Naming,
): Promise<
  { projection: string; checkpoint: number; streamLastSeq: number; lag: number; updatedAt: Date }[]
> {
  const info = await jsm.streams.info(names.stream('NZ_EVENTS'));
  const rows = await db.selectFrom('projection_checkpoints').selectAll().execute();
  return rows.map((r) => ({
    projection: r.projection,
    checkpoint: Number(r.stream_seq),
    streamLastSeq: info.state.last_seq,
    lag: Math.max(0, info.state.last_seq - Number(r.stream_seq)),
    updatedAt: r.updated_at,
  }));
}
