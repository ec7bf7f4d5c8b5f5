// npm run bench:projector [-- --events 1000000] — publishes N events to a fresh namespace
// on the real JetStream (decisions, and one Telegram API call per three decisions), starts
// the projector on an empty database and measures sustained events/s until it has applied
// them all; then rebuilds the same stream into a shadow schema and times that.
// `--shape history` (default) spreads the events' times over 90 days, as a stream replayed
// from its start is (few events share a rollup bucket); `--shape live` spaces them as a
// stream arriving at the 20,000 events/s target is (one second holds 20,000).
// `--compare <dir>` runs another tree's projector (e.g. the previous write path, extracted
// with `git archive <commit> services/analytics-projector | tar -x -C .bench-baseline`)
// over the same published stream, alternating `--rounds` times, so both see the same load.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyTopology, createLogger } from '@nezuko/kit';
import { consumers, create, TelegramApiCalledSchema } from '@nezuko/proto';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import type * as App from '../../src/app.ts';
import type * as Rebuild from '../../src/rebuild.ts';
import type * as ReadModel from '../../src/readModel/index.ts';
import { outcomes } from '../../src/readModel/index.ts';
import { decision, openEventStore } from '../../src/testing/index.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string' },
    'skip-rebuild': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    compare: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    shape: { type: 'string', default: 'history' },
  },
});
if (values.shape !== 'history' && values.shape !== 'live') {
  throw new Error(`--shape is history or live, not ${values.shape}`);
}
const N = Number(values.events);
/** `--shape live`: events per millisecond of occurred_at (the 20,000 events/s target). */
const LIVE_RATE_PER_MS = 20;
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

/** The modules a run needs from a projector tree (this one, or `--compare`). */
interface Tree {
  readonly label: string;
  readonly app: typeof App;
  readonly rebuild: typeof Rebuild;
  readonly readModel: typeof ReadModel;
}
const loadTree = async (label: string, dir: string): Promise<Tree> => ({
  label,
  app: (await import(resolve(dir, 'src/app.ts'))) as Tree['app'],
  rebuild: (await import(resolve(dir, 'src/rebuild.ts'))) as Tree['rebuild'],
  readModel: (await import(resolve(dir, 'src/readModel/index.ts'))) as Tree['readModel'],
});
const trees = [await loadTree('this tree', resolve(import.meta.dirname, '../..'))];
if (values.compare) trees.push(await loadTree(`compare (${values.compare})`, values.compare));

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
const store = await openEventStore(natsUrl, `bench${process.pid}`);
const results: {
  label: string;
  round: number;
  live: number;
  rebuild: number | null;
  load: string;
  cpu: { node: number; postgres: number };
}[] = [];
let lastSeq = 0;
try {
  console.log(`publishing ${N.toLocaleString('en')} events (${values.shape}-shaped times)`);
  const start = Date.UTC(2026, 0, 1);
  const publishStarted = performance.now();
  const WINDOW = 2000;
  for (let base = 0; base < N; base += WINDOW) {
    await Promise.all(
      Array.from({ length: Math.min(WINDOW, N - base) }, async (_, j) => {
        const i = base + j;
        const occurredAt = new Date(
          start +
            (values.shape === 'live'
              ? Math.floor(i / LIVE_RATE_PER_MS)
              : Math.floor((i / N) * 90 * 86_400_000)),
        );
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

  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const tree of trees) results.push({ ...(await measure(tree, round)), round });
  }
  console.log('\nsummary (events/s; load average 1/5/15 min at the start of each run)');
  for (const r of results) {
    // Each round's first tree against the other tree of the same round.
    const other = results.find((o) => o.round === r.round && o.label !== r.label);
    const first = other && r.label === trees[0]!.label;
    const ratio =
      first && other
        ? ` = ${(r.live / other.live).toFixed(2)}× wall, ${(perEventMs(other.cpu) / perEventMs(r.cpu)).toFixed(2)}× less cpu`
        : '';
    console.log(
      `  round ${r.round + 1} ${r.label}: live ${Math.round(r.live)}, cpu ${perEventMs(r.cpu).toFixed(3)} ms/event${ratio}, rebuild ${r.rebuild === null ? '–' : Math.round(r.rebuild)}, load ${r.load}`,
    );
  }
} finally {
  await store.close();
  await admin.end();
}

function perEventMs(cpu: { node: number; postgres: number }): number {
  return ((cpu.node + cpu.postgres) * 1000) / N;
}

/** CPU seconds (user + system) of the Postgres backends connected to a database. */
async function backendCpuSeconds(dbName: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = $1',
    [dbName],
  );
  let ticks = 0;
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100; // USER_HZ
}

/** One live run (fresh database, fresh durable at seq 1) and, unless skipped, a rebuild. */
async function measure(tree: Tree, round: number) {
  const dbName = `nz_bench_projector_${process.pid}_${round}_${trees.indexOf(tree)}`;
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;
  await admin.query(`create database ${dbName}`);
  // --profile: time per statement kind (its first words), to see where a batch goes.
  const statementMs = new Map<string, { n: number; ms: number }>();
  const log = (event: LogEvent) => {
    const words = event.query.sql.replace(/\s+/g, ' ').trim().split(' ');
    const key = words.slice(0, words[0] === 'insert' ? 3 : 2).join(' ');
    const entry = statementMs.get(key) ?? { n: 0, ms: 0 };
    entry.n += 1;
    entry.ms += event.queryDurationMillis;
    statementMs.set(key, entry);
  };
  const db = tree.readModel.createReadModelDb(dbUrl.toString(), {
    maxConnections: 4,
    ...(values.profile ? { log } : {}),
  });
  try {
    await tree.readModel.migrateToLatest(db);
    statementMs.clear();
    // Every run reads the stream from the start through the same durable.
    const spec = consumers.analyticsProjector;
    await store.jsm.consumers
      .delete(store.names.stream(spec.stream), store.names.durable(spec.durable))
      .catch(() => undefined);
    await applyTopology(store.jsm, store.names);
    const loadAtStart = load();
    console.log(`${tree.label}, round ${round + 1}: load ${loadAtStart}`);
    const applyStarted = performance.now();
    const nodeCpuBefore = process.cpuUsage();
    const projector = await tree.app.startProjector({
      db,
      nc: store.nc,
      js: store.js,
      jsm: store.jsm,
      names: store.names,
      logger: createLogger('bench-projector', 'warn'),
      ...(values.batch ? { maxBatch: Number(values.batch) } : {}),
    });
    let reported = performance.now();
    while (projector.checkpoint() < lastSeq) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (performance.now() - reported > 10_000) {
        reported = performance.now();
        const rate = projector.checkpoint() / ((reported - applyStarted) / 1000);
        console.log(
          `  applied ${projector.checkpoint()} / ${lastSeq} (${Math.round(rate)} events/s)`,
        );
      }
    }
    const applySeconds = (performance.now() - applyStarted) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const cpu = {
      node: (nodeCpu.user + nodeCpu.system) / 1e6,
      postgres: await backendCpuSeconds(dbName),
    };
    await projector.stop();
    const live = N / applySeconds;
    console.log(
      `  live: ${N.toLocaleString('en')} events in ${applySeconds.toFixed(1)} s = ${Math.round(live).toLocaleString('en')} events/s (load ${load()} at the end)`,
    );
    // CPU seconds spent, unlike wall time, hardly depend on what else the machine runs.
    console.log(
      `  cpu: node ${cpu.node.toFixed(1)} s, postgres ${cpu.postgres.toFixed(1)} s = ${(((cpu.node + cpu.postgres) * 1000) / N).toFixed(3)} ms per event`,
    );
    if (values.profile) {
      const sorted = [...statementMs.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const total = sorted.reduce((sum, [, e]) => sum + e.ms, 0);
      console.log(`  statements: ${(total / 1000).toFixed(1)} s of ${applySeconds.toFixed(1)} s`);
      for (const [key, e] of sorted.slice(0, 20)) {
        console.log(
          `    ${(e.ms / 1000).toFixed(2).padStart(7)} s ${String(e.n).padStart(6)}× ${key}`,
        );
      }
    }
    let rebuild: number | null = null;
    if (!values['skip-rebuild']) {
      const rebuilt = await tree.rebuild.rebuildProjection({
        databaseUrl: dbUrl.toString(),
        db,
        js: store.js,
        jsm: store.jsm,
        names: store.names,
      });
      rebuild = rebuilt.events / rebuilt.seconds;
      console.log(
        `  rebuild: ${rebuilt.events.toLocaleString('en')} events in ${rebuilt.seconds.toFixed(1)} s = ${Math.round(rebuild).toLocaleString('en')} events/s, swapped in (load ${load()})`,
      );
    }
    return { label: tree.label, live, rebuild, load: loadAtStart, cpu };
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${dbName} with (force)`);
  }
}
