// The analytics projector: applies NZ_EVENTS to the Postgres read model through the
// durable consumer in batches (up to `maxBatch` events per transaction), the checkpoint
// moving in the same transaction as the writes. Built from injected clients so tests run
// it in-process against real NATS and Postgres.
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Logger, Naming } from '@nezuko/kit';
import { consumers, subjects, type ConsumerSpec } from '@nezuko/proto';
import type { Kysely } from 'kysely';
import { deadLetter } from './batch/deadLetter.ts';
import { runBatchConsumer, type BatchConsumerHandle } from './batch/pull.ts';
import { ensureCheckpoint, readCheckpoint } from './checkpoints.ts';
import { checkIncarnation, streamIncarnation } from './incarnation.ts';
import { rewindIfPending, skippedMessages } from './position.ts';
import {
  applyBatch,
  CheckpointMovedError,
  type EventResult,
  type PlannedEvent,
} from './projection/batch.ts';
import { planMessage, type PlannedMessage } from './projection/planMessage.ts';
import { inBatchTransaction } from './swapLock.ts';
import { createPartitionCache, type Database, type ReadModelName } from './readModel/index.ts';
import { isTransient, untilApplied } from './transient.ts';

export const PROJECTION = 'analytics';

export interface ProjectorDeps {
  readonly db: Kysely<Database>;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly logger: Logger;
  readonly meter?: Meter;
  readonly tracer?: Tracer;
  /** Defaults to the declared `consumers.analyticsProjector`. */
  readonly spec?: ConsumerSpec;
  /** Most events per transaction (default 2000). */
  readonly maxBatch?: number;
  /** How long a batch waits to fill once the previous one committed (default 5 ms). */
  readonly maxWaitMs?: number;
  /** While refusing a recreated stream, how often to look again (default 10 s). */
  readonly incarnationPollMs?: number;
}

/** NZ_EVENTS is not the stream the checkpoint counts in (see incarnation.ts). */
export interface StreamMismatch {
  /** Creation time of the stream the checkpoint was recorded in. */
  readonly recorded: string;
  /** Creation time of NZ_EVENTS now. */
  readonly current: string;
}

export interface Projector {
  /** True while the durable consumer is attached and receiving. */
  attached(): boolean;
  /** Stream sequence of the last event whose writes committed. */
  checkpoint(): number;
  /** Set while the projector refuses a recreated NZ_EVENTS (not attached, not ready). */
  streamMismatch(): StreamMismatch | null;
  /** Stops taking events; the batch in flight commits or rolls back first. */
  stop(): Promise<void>;
}

export async function startProjector(deps: ProjectorDeps): Promise<Projector> {
  const { db, nc, js, jsm, names } = deps;
  const spec = deps.spec ?? consumers.analyticsProjector;
  const log = deps.logger.child({ projection: PROJECTION });
  const events = deps.meter?.createCounter('nezuko_projector_events_total', {
    description:
      'Events seen by the projector, by type and result (applied, ignored, unknown, duplicate, dead_lettered)',
  });
  const batches = deps.meter?.createHistogram('nezuko_projector_batch_size', {
    description: 'Events per committed transaction',
    advice: { explicitBucketBoundaries: [1, 5, 25, 100, 250, 500, 1000, 2000] },
  });
  const retries = deps.meter?.createCounter('nezuko_projector_retries_total', {
    description: 'Transient Postgres failures retried in place',
  });
  const rewinds = deps.meter?.createCounter('nezuko_projector_rewinds_total', {
    description: 'Times the durable consumer was repositioned to keep stream order',
  });
  deps.meter
    ?.createObservableGauge('nezuko_projector_checkpoint', {
      description: 'Stream sequence of the last applied event',
    })
    .addCallback((result) => result.observe(committed, { projection: PROJECTION }));

  let mismatch: StreamMismatch | null = null;
  deps.meter
    ?.createObservableGauge('nezuko_projector_stream_mismatch', {
      description: '1 while NZ_EVENTS is not the stream the checkpoint counts in (refusing)',
    })
    .addCallback((result) => result.observe(mismatch ? 1 : 0, { projection: PROJECTION }));

  await ensureCheckpoint(db, PROJECTION);
  let committed = await readCheckpoint(db, PROJECTION);
  const partitions = createPartitionCache();
  const stopping = new AbortController();
  let session: BatchConsumerHandle | undefined;
  let lastSeen = 0;
  let restarting: Promise<void> | undefined;

  /** True when the checkpoint counts in NZ_EVENTS as it is now; refuses (logs) if not. */
  const sameStream = async (): Promise<boolean> => {
    const check = await checkIncarnation(db, PROJECTION, await streamIncarnation(jsm, names));
    if (check.kind === 'recreated') {
      if (!mismatch) {
        log.error(
          { checkpoint: committed, recorded: check.recorded, current: check.current },
          'NZ_EVENTS was recreated since the checkpoint was written: refusing to project ' +
            '(its sequences restarted; the checkpoint would skip them). Rebuild the projection ' +
            '(npm run nezuko -- projections rebuild); projecting resumes once it is swapped in',
        );
      }
      mismatch = { recorded: check.recorded, current: check.current };
      return false;
    }
    if (check.kind === 'recorded')
      log.info({ created: check.created }, 'stream incarnation recorded');
    if (mismatch) log.info({ created: check.created }, 'checkpoint matches NZ_EVENTS again');
    mismatch = null;
    return true;
  };

  /**
   * Plans a run of messages (decoded on arrival); poison is dead-lettered here, before any
   * transaction. Synchronous unless there is poison: an await per message would let the
   * decoding of the next deliveries run in between, on the write's critical path.
   */
  const plan = async (
    msgs: readonly JsMsg[],
    results: readonly PlannedMessage[],
  ): Promise<PlannedEvent[]> => {
    for (const [i, result] of results.entries()) {
      if (result.ok) continue;
      const msg = msgs[i]!;
      log.error(
        { seq: msg.info.streamSequence, subject: msg.subject, reason: result.reason },
        'poison event dead-lettered',
      );
      await deadLetter(js, names, spec, msg, result.reason);
    }
    return results.map((result) => result.planned);
  };

  // One transaction: skip what the checkpoint already covers, write, advance it, provided
  // it still is where this process last committed it (one writer: leadership).
  const commitAfter = (planned: readonly PlannedEvent[], checkpoint: number) =>
    inBatchTransaction(db, async (trx) => {
      const fresh = planned.filter((e) => e.seq > checkpoint);
      if (fresh.length === 0) return null;
      const result = await applyBatch(trx, fresh, partitions, PROJECTION, checkpoint);
      return { ...result, fresh };
    });

  const commit = async (planned: readonly PlannedEvent[]) => {
    try {
      return await commitAfter(planned, committed);
    } catch (error) {
      if (!(error instanceof CheckpointMovedError)) throw error;
      // Someone else wrote (a rebuild swapped in, a former leader's last batch): continue
      // from where the model really is.
      const moved = await readCheckpoint(db, PROJECTION);
      log.warn({ expected: committed, checkpoint: moved }, 'checkpoint moved; continuing from it');
      committed = moved;
      return commitAfter(planned, moved); // moved again: transient, retried with backoff
    }
  };

  const commitWithRetry = (planned: readonly PlannedEvent[]) =>
    untilApplied(() => commit(planned), {
      signal: stopping.signal,
      onRetry: (error, attempt, delayMs) => {
        retries?.add(1);
        log.warn(
          { err: error, attempt, retryInMs: delayMs },
          'Postgres unavailable; retrying in place',
        );
      },
    });

  const notify = (model: ReadModelName, seq: number) => {
    try {
      nc.publish(names.subject(subjects.modelChanged(model)), JSON.stringify({ seq }));
    } catch (error) {
      log.warn({ err: error, model }, 'model-changed notice not sent');
    }
  };

  /** Commits planned events; a batch Postgres rejects is retried event by event. */
  const applyPlanned = async (planned: PlannedEvent[], msgs: readonly JsMsg[]) => {
    let outcome: Awaited<ReturnType<typeof commit>>;
    try {
      outcome = await commitWithRetry(planned);
    } catch (error) {
      if (stopping.signal.aborted && isTransient(error)) throw error;
      if (planned.length === 1) {
        const msg = msgs[0]!;
        log.error({ err: error, seq: msg.info.streamSequence }, 'event dead-lettered');
        await deadLetter(js, names, spec, msg, (error as Error).message);
        const only = planned[0]!;
        planned[0] = { ...only, change: null, result: 'dead_lettered' };
        outcome = await commitWithRetry(planned);
      } else {
        // Find the offender: one event per transaction for this batch only.
        for (let i = 0; i < planned.length; i += 1) {
          await applyPlanned([planned[i]!], [msgs[i]!]);
        }
        return;
      }
    }
    for (const msg of msgs) msg.ack();
    if (outcome === null) {
      countEvents(planned, () => 'duplicate');
      return;
    }
    const last = outcome.fresh[outcome.fresh.length - 1]!.seq;
    committed = last;
    partitions.remember(outcome.partitions);
    batches?.record(outcome.fresh.length);
    countEvents(planned, (e) => (e.seq > last ? 'duplicate' : e.result));
    for (const model of outcome.touched) notify(model, last);
  };

  /** Adds a batch to the events counter: one add per type and result, not per event. */
  const countEvents = (
    planned: readonly PlannedEvent[],
    resultOf: (e: PlannedEvent) => EventResult | 'duplicate',
  ) => {
    if (!events) return;
    const counts = new Map<string, { type: string; result: string; n: number }>();
    for (const e of planned) {
      const result = resultOf(e);
      const key = `${e.type}|${result}`;
      const entry = counts.get(key);
      if (entry) entry.n += 1;
      else counts.set(key, { type: e.type, result, n: 1 });
    }
    for (const { type, result, n } of counts.values()) events.add(n, { type, result });
  };

  // Messages are decoded as they arrive (planMessage), overlapping the write before them.
  const handleBatch = async (batch: readonly JsMsg[], plans: readonly PlannedMessage[]) => {
    const accepted: JsMsg[] = [];
    for (const msg of batch) {
      const seq = msg.info.streamSequence;
      const previousSeq = lastSeen;
      if (
        previousSeq > 0 &&
        seq > previousSeq + 1 &&
        (await skippedMessages(jsm, names, spec, previousSeq, seq))
      ) {
        log.warn(
          { previousSeq, seq },
          'delivery skipped past unhandled events; rewinding the consumer',
        );
        if (accepted.length > 0) await applyMessages(accepted, plans);
        void restart(previousSeq + 1);
        return; // the rest is delivered again from the rewound position
      }
      lastSeen = Math.max(lastSeen, seq);
      accepted.push(msg);
    }
    await applyMessages(accepted, plans);
  };

  /** `msgs` are the first messages of a batch; `plans` the batch's, index for index. */
  const applyMessages = async (msgs: readonly JsMsg[], plans: readonly PlannedMessage[]) => {
    if (msgs.length === 0) return;
    // Events the checkpoint already covers are acknowledged unwritten: only if this is still
    // the stream it counts in (a recreated stream starts again below it). Rare: redeliveries.
    if (msgs[0]!.info.streamSequence <= committed && !(await sameStream())) {
      void detachUntilSameStream();
      return; // unacknowledged: delivered again once the projection is rebuilt
    }
    await applyPlanned(await plan(msgs, plans.slice(0, msgs.length)), msgs);
  };

  const attach = async (forceFromSeq?: number) => {
    const rewind = await rewindIfPending(jsm, names, spec, forceFromSeq);
    if (rewind) {
      rewinds?.add(1);
      log.info(rewind, 'consumer repositioned after unhandled deliveries');
    }
    lastSeen = 0;
    session = runBatchConsumer({
      js,
      names,
      spec,
      logger: log,
      maxBatch: deps.maxBatch ?? 2000,
      maxWaitMs: deps.maxWaitMs ?? 5,
      prepare: planMessage,
      handleBatch: async (batch, plans) => {
        try {
          await handleBatch(batch, plans);
        } catch (error) {
          // Only a stop can get here (transient failures are retried in place); the
          // unacked deliveries are redelivered to whoever attaches next.
          log.warn({ err: error }, 'batch not applied');
        }
      },
    });
  };

  const restart = (fromSeq: number): Promise<void> => {
    restarting ??= (async () => {
      await session?.stop();
      session = undefined;
      while (!stopping.signal.aborted) {
        try {
          await attach(fromSeq);
          return;
        } catch (error) {
          log.error({ err: error }, 'could not reposition the consumer; retrying');
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    })().finally(() => {
      restarting = undefined;
    });
    return restarting;
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {
        once: true,
      });
    });

  /** Attaches once the checkpoint counts in NZ_EVENTS as it is (e.g. after a rebuild). */
  const attachWhenSameStream = async () => {
    while (!stopping.signal.aborted) {
      try {
        if (await sameStream()) {
          // A rebuild swapped in since: its checkpoint is the one to continue from.
          committed = await readCheckpoint(db, PROJECTION);
          await attach();
          return;
        }
      } catch (error) {
        log.warn({ err: error }, 'could not compare the stream with the checkpoint; retrying');
      }
      await pause(mismatch ? (deps.incarnationPollMs ?? 10_000) : 1000);
    }
  };

  const detachUntilSameStream = (): Promise<void> => {
    restarting ??= (async () => {
      await session?.stop();
      session = undefined;
      await attachWhenSameStream();
    })().finally(() => {
      restarting = undefined;
    });
    return restarting;
  };

  // Attached on return when the stream is the checkpoint's; otherwise waits in the
  // background (not ready) until it is.
  if ((await sameStream().catch(() => false)) === true) await attach();
  else void detachUntilSameStream();
  log.info({ checkpoint: committed }, 'projector started');
  return {
    attached: () => session?.attached() ?? false,
    checkpoint: () => committed,
    streamMismatch: () => mismatch,
    async stop() {
      stopping.abort();
      await restarting;
      await session?.stop();
    },
  };
}
