// npm run bench:projector [-- --events 1000000] — publishes N events to a fresh namespace
// on the real JetStream (decisions, and one Telegram API call per three decisions), starts
// the projector on an empty database and measures sustained events/s until it has applied
// them all; then rebuilds the same stream into a shadow schema and times that.
import { parseArgs } from 'node:util';
import { createLogger } from '@nezuko/kit';
import { create, TelegramApiCalledSchema } from '@nezuko/proto';
import pg from 'pg';
import { startProjector } from '../../src/app.ts';
import { rebuildProjection } from '../../src/rebuild.ts';
import { createReadModelDb, migrateToLatest, outcomes } from '../../src/readModel/index.ts';
import { decision, openEventStore } from '../../src/testing/index.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '1000' },
    'skip-rebuild': { type: 'boolean', default: false },
  },
});
const N = Number(values.events);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const dbName = `nz_bench_projector_${process.pid}`;
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const store = await openEventStore(natsUrl, `bench${process.pid}`);
const db = createReadModelDb(dbUrl.toString(), { maxConnections: 4 });
try {
  await migrateToLatest(db);
  console.log(`publishing ${N.toLocaleString('en')} events`);
  const start = Date.UTC(2026, 0, 1);
  let lastSeq = 0;
  const publishStarted = performance.now();
  const WINDOW = 2000;
  for (let base = 0; base < N; base += WINDOW) {
    await Promise.all(
      Array.from({ length: Math.min(WINDOW, N - base) }, async (_, j) => {
        const i = base + j;
        const occurredAt = new Date(start + Math.floor((i / N) * 90 * 86_400_000));
        const groupId = String(-100000 - ((i * 7919) % 1000));
        const { seq } =
          i % 4 === 3
            ? await store.bus.publish(
                'bot.api_called',
                create(TelegramApiCalledSchema, {
                  botId: '7001',
                  method: 'getChatMember',
                  chatId: groupId,
                  ok: i % 50 !== 3,
                  latencyMs: 20 + (i % 300),
                }),
                { id: `bench-${i}`, occurredAt },
              )
            : await store.bus.publish(
                'verify.decided',
                decision({
                  groupId,
                  botId: String(7001 + (i % 3)),
                  userId: String(1_000_000 + ((i * 104729) % (N / 5 + 1))),
                  outcome: outcomes[i % 4]!,
                  cached: i % 10 < 7,
                  latencyMs: i % 10 < 7 ? 2 + (i % 8) : 30 + (i % 700),
                }),
                { id: `bench-${i}`, occurredAt },
              );
        lastSeq = Math.max(lastSeq, seq);
      }),
    );
  }
  const publishSeconds = (performance.now() - publishStarted) / 1000;
  console.log(
    `published in ${publishSeconds.toFixed(1)} s (${Math.round(N / publishSeconds)} events/s)`,
  );

  const logger = createLogger('bench-projector', 'warn');
  const applyStarted = performance.now();
  const projector = await startProjector({
    db,
    nc: store.nc,
    js: store.js,
    jsm: store.jsm,
    names: store.names,
    logger,
    maxBatch: Number(values.batch),
  });
  let reported = performance.now();
  while (projector.checkpoint() < lastSeq) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (performance.now() - reported > 5000) {
      reported = performance.now();
      const rate = projector.checkpoint() / ((reported - applyStarted) / 1000);
      console.log(
        `  applied ${projector.checkpoint()} / ${lastSeq} (${Math.round(rate)} events/s)`,
      );
    }
  }
  const applySeconds = (performance.now() - applyStarted) / 1000;
  await projector.stop();
  console.log(
    `projector: ${N.toLocaleString('en')} events in ${applySeconds.toFixed(1)} s = ${Math.round(N / applySeconds).toLocaleString('en')} events/s (batch ${values.batch})`,
  );

  if (!values['skip-rebuild']) {
    const rebuilt = await rebuildProjection({
      databaseUrl: dbUrl.toString(),
      db,
      js: store.js,
      jsm: store.jsm,
      names: store.names,
      onProgress: (p) =>
        console.log(
          `  rebuild seq ${p.seq} / ${p.target} ${p.eventsPerSecond} events/s ETA ${p.etaSeconds} s`,
        ),
    });
    console.log(
      `rebuild: ${rebuilt.events.toLocaleString('en')} events in ${rebuilt.seconds.toFixed(1)} s = ${Math.round(rebuilt.events / rebuilt.seconds).toLocaleString('en')} events/s, swapped in`,
    );
  }
} finally {
  await db.destroy();
  await store.close();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
