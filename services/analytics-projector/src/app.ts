// The analytics projector: applies NZ_EVENTS to the Postgres read model through the
// durable consumer, one event per transaction, the checkpoint moving with the writes.
// Built from injected clients so tests run it in-process against real NATS and Postgres.
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Meter, Tracer } from '@opentelemetry/api';
import {
  decodeEvent,
  PoisonMessageError,
  runConsumer,
  type ConsumerHandle,
  type Logger,
  type Naming,
} from '@nezuko/kit';
import {
  consumers,
  subjects,
  type ConsumerSpec,
  type DomainEvent,
  type Envelope,
} from '@nezuko/proto';
import type { Kysely } from 'kysely';
import {
  advanceCheckpoint,
  ensureCheckpoint,
  lockCheckpoint,
  readCheckpoint,
} from './checkpoints.ts';
import { rewindIfPending, skippedMessages } from './position.ts';
import { applyChange } from './projection/apply.ts';
import { changedModel, planChange, type ReadModelChange } from './projection/changes.ts';
import type { Database, ReadModelName } from './readModel/index.ts';
import { untilApplied } from './transient.ts';

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
}

export interface Projector {
  /** True while the durable consumer is attached and receiving. */
  attached(): boolean;
  /** Stream sequence of the last event whose writes committed. */
  checkpoint(): number;
  /** Stops taking events; the one in flight commits or rolls back first. */
  stop(): Promise<void>;
}

/** What the consumer loop hands the handler: decoding never throws so gaps are seen first. */
type Incoming =
  | {
      readonly ok: true;
      readonly previousSeq: number;
      readonly envelope: Envelope;
      readonly event: DomainEvent;
    }
  | { readonly ok: false; readonly previousSeq: number; readonly error: string };

export async function startProjector(deps: ProjectorDeps): Promise<Projector> {
  const { db, nc, js, jsm, names } = deps;
  const spec = deps.spec ?? consumers.analyticsProjector;
  const log = deps.logger.child({ projection: PROJECTION });
  const events = deps.meter?.createCounter('nezuko_projector_events_total', {
    description: 'Events seen by the projector, by type and result (applied, ignored, duplicate)',
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

  await ensureCheckpoint(db, PROJECTION);
  let committed = await readCheckpoint(db, PROJECTION);
  const stopping = new AbortController();
  let session: ConsumerHandle | undefined;
  let lastSeen = 0;
  let restarting: Promise<void> | undefined;

  const decode = (msg: JsMsg): Incoming => {
    const seq = msg.info.streamSequence;
    const previousSeq = lastSeen;
    lastSeen = Math.max(lastSeen, seq);
    try {
      return { ok: true, previousSeq, ...decodeEvent(msg.headers, msg.data) };
    } catch (error) {
      return { ok: false, previousSeq, error: (error as Error).message };
    }
  };

  // One transaction: lock the checkpoint, skip what it already covers, write, advance.
  const commit = (change: ReadModelChange, seq: number) =>
    db.transaction().execute(async (trx) => {
      if (seq <= (await lockCheckpoint(trx, PROJECTION))) return false;
      await applyChange(trx, change);
      await advanceCheckpoint(trx, PROJECTION, seq);
      return true;
    });

  const notify = (model: ReadModelName, seq: number) => {
    try {
      nc.publish(names.subject(subjects.modelChanged(model)), JSON.stringify({ seq }));
    } catch (error) {
      log.warn({ err: error, model }, 'model-changed notice not sent');
    }
  };

  const handle = async (seq: number, incoming: Incoming) => {
    const { previousSeq } = incoming;
    if (
      previousSeq > 0 &&
      seq > previousSeq + 1 &&
      (await skippedMessages(jsm, names, spec, previousSeq, seq))
    ) {
      log.warn(
        { previousSeq, seq },
        'delivery skipped past unhandled events; rewinding the consumer',
      );
      void restart(previousSeq + 1);
      throw new Error(`out of order delivery at ${seq}`);
    }
    if (!incoming.ok) throw new PoisonMessageError(`undecodable: ${incoming.error}`);
    const type = incoming.event.type;
    let change: ReadModelChange | null;
    try {
      change = planChange(incoming.event, {
        seq,
        eventId: incoming.envelope.id,
        occurredAt: incoming.envelope.occurredAt,
      });
    } catch (error) {
      throw error instanceof PoisonMessageError
        ? error
        : new PoisonMessageError((error as Error).message);
    }
    if (change === null) {
      events?.add(1, { type, result: 'ignored' });
      return;
    }
    const applied = await untilApplied(() => commit(change, seq), {
      signal: stopping.signal,
      onRetry: (error, attempt, delayMs) => {
        retries?.add(1);
        log.warn(
          { err: error, seq, attempt, retryInMs: delayMs },
          'Postgres unavailable; retrying in place',
        );
      },
    });
    if (!applied) {
      events?.add(1, { type, result: 'duplicate' });
      return;
    }
    committed = seq;
    events?.add(1, { type, result: 'applied' });
    notify(changedModel(change), seq);
  };

  const attach = async (forceFromSeq?: number) => {
    const rewind = await rewindIfPending(jsm, names, spec, forceFromSeq);
    if (rewind) {
      rewinds?.add(1);
      log.info(rewind, 'consumer repositioned after unhandled deliveries');
    }
    lastSeen = 0;
    session = runConsumer<Incoming>({
      js,
      names,
      spec,
      logger: log,
      ...(deps.meter ? { meter: deps.meter } : {}),
      ...(deps.tracer ? { tracer: deps.tracer } : {}),
      decode,
      describe: (incoming) => (incoming.ok ? incoming.event.type : 'undecodable'),
      handle: ({ value, streamSequence }) => handle(streamSequence, value),
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

  await attach();
  log.info({ checkpoint: committed }, 'projector started');
  return {
    attached: () => session?.attached() ?? false,
    checkpoint: () => committed,
    async stop() {
      stopping.abort();
      await restarting;
      await session?.stop();
    },
  };
}
