// npm run bench:read [-- --events 10000000] — seeds N decisions (+ matching API calls)
// into a fresh database (bulk path, same tables the projector writes), serves it with the
// real read API over HTTP, measures p50/p95 of every read endpoint over 200 requests, and
// runs the earlier design's SQL functions on the same rows for a ratio per chart. The
// stream views (/events, /logs) read their own JetStream namespace (NATS_URL).
import { parseArgs } from 'node:util';
import { createReadModelDb, migrateToLatest } from '@nezuko/analytics-projector/read-model';
import { decision, openEventStore } from '@nezuko/analytics-projector/testing';
import { createLogger, createLogShipper } from '@nezuko/kit';
import { Writable } from 'node:stream';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import type { LiveFeed } from '../../src/live/feed.ts';
import { seedLegacy, seedReadModel } from './seed.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    'legacy-requests': { type: 'string', default: '20' },
    'keep-db': { type: 'boolean', default: false },
    'reuse-db': { type: 'string' },
    seeds: { type: 'string', default: '/work/shared/seeds/sql' },
  },
});
const N = Number(values.events);
const REQUESTS = Number(values.requests);
const LEGACY_REQUESTS = Number(values['legacy-requests']);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NOW = new Date();

const dbName = values['reuse-db'] ?? `nz_bench_read_${N}`;
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;

if (!values['reuse-db']) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const migrating = createReadModelDb(dbUrl.toString());
  await migrateToLatest(migrating);
  await migrating.destroy();
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  console.log(`seeding ${N.toLocaleString('en')} decisions into ${dbName}`);
  const started = performance.now();
  await seedReadModel(client, N, NOW);
  console.log(`read model seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const legacyStarted = performance.now();
  await seedLegacy(client, values.seeds);
  console.log(
    `legacy schema loaded in ${((performance.now() - legacyStarted) / 1000).toFixed(0)} s`,
  );
  await client.end();
}

const db = createReadModelDb(dbUrl.toString(), { maxConnections: 10 });
// The HTTP read paths are measured; the live feed (JetStream) is not part of them.
const feed: LiveFeed = {
  latestSeq: () => N,
  attached: () => true,
  onVerification: () => () => undefined,
  replay: () => Promise.reject(new Error('not in the benchmark')),
  stop: () => Promise.resolve(),
};
// The stream views (/events, /logs) read JetStream: a namespace of their own with 20,000
// decisions in NZ_EVENTS and 20,000 service log records in NZ_LOGS.
const STREAM_RECORDS = 20_000;
const store = await openEventStore(
  process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  `benchread${process.pid}`,
);
for (let base = 0; base < STREAM_RECORDS; base += 1000) {
  await Promise.all(
    Array.from({ length: 1000 }, (_, j) =>
      store.bus.publish(
        'verify.decided',
        decision({
          groupId: String(-100001 - ((base + j) % 1000)),
          userId: String(base + j),
          outcome: 'verified',
        }),
        { id: `bench-read-${base + j}` },
      ),
    ),
  );
}
const shipper = createLogShipper({ service: 'verification', lingerMs: 20 });
const serviceLog = createLogger(
  'verification',
  'info',
  new Writable({ write: (_c, _e, cb) => cb() }),
  {
    level: 'info',
    destination: shipper.destination,
  },
);
shipper.attach({ nc: store.nc, js: store.js, names: store.names });
for (let i = 0; i < STREAM_RECORDS; i += 1) {
  if (i % 10 === 0)
    serviceLog.error({ groupId: -100001 - (i % 1000) }, 'Telegram refused the action');
  else if (i % 3 === 0) serviceLog.warn({ attempt: i % 5 }, 'rate limited by Telegram; retrying');
  else serviceLog.info({ userId: i }, 'member verified');
  if (i % 2000 === 1999) await shipper.flush(30_000);
}
await shipper.flush(30_000);
shipper.stop();

const app = await buildApp({
  db,
  feed,
  streams: { jsm: store.jsm, names: store.names },
  probes: { checks: {}, serveMetrics: (_req, res) => res.end() },
  logger: createLogger('bench', 'warn'),
  now: () => NOW,
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });

const endpoints: [string, string | null][] = [
  ['/api/v1/dashboard/stats', 'select get_dashboard_stats()'],
  ['/api/v1/dashboard/activity?limit=20', null],
  ['/api/v1/dashboard/chart-data?days=30', 'select get_chart_data(30)'],
  ['/api/v1/groups?page=3&per_page=20', null],
  ['/api/v1/groups?search=Group%2012&status=protected&sort=title', null],
  ['/api/v1/groups/-100001', null],
  ['/api/v1/channels?page=2', null],
  ['/api/v1/channels/-200001', null],
  ['/api/v1/bots', null],
  ['/api/v1/bots/7001', null],
  ['/api/v1/analytics/overview?period=30d', 'select get_analytics_overview()'],
  [
    '/api/v1/analytics/verifications?period=30d&granularity=day',
    "select get_verification_trends('30d', 'day')",
  ],
  ['/api/v1/analytics/users?period=30d&granularity=day', "select get_user_growth('30d', 'day')"],
  ['/api/v1/analytics/users?period=90d&granularity=week', null],
  ['/api/v1/analytics/users?period=24h', null],
  ['/api/v1/charts/verification-distribution?period=7d', 'select get_verification_distribution()'],
  ['/api/v1/charts/cache-breakdown?period=7d', 'select get_cache_breakdown()'],
  ['/api/v1/charts/groups-status', 'select get_groups_status()'],
  ['/api/v1/charts/api-calls?period=7d', 'select get_api_calls_distribution()'],
  ['/api/v1/charts/hourly-activity?period=7d', 'select get_hourly_activity()'],
  ['/api/v1/charts/latency-distribution?period=7d', 'select get_latency_distribution()'],
  ['/api/v1/charts/top-groups?limit=10&period=30d', 'select get_top_groups(10)'],
  ['/api/v1/charts/cache-hit-rate-trend?period=7d', "select get_cache_hit_rate_trend('7d')"],
  ['/api/v1/charts/latency-trend?period=7d', "select get_latency_trend('7d')"],
  ['/api/v1/charts/bot-health', 'select get_bot_health()'],
  ['/api/v1/charts/top-groups?limit=10&period=90d&bot_id=7002', null],
  ['/api/v1/charts/latency-trend?period=90d&group_id=-100001', null],
  ['/api/v1/audit?limit=50', null],
  ['/api/v1/audit?actor=admin0%40example.com&action=group.update&limit=100', null],
  // A CSV export streams every match, so it is measured for a day's entries here and as
  // an export of the whole audit log below.
  [
    `/api/v1/audit?format=csv&since=${encodeURIComponent(new Date(NOW.getTime() - 86_400_000).toISOString())}`,
    null,
  ],
  ['/api/v1/logs?limit=100', null],
  ['/api/v1/logs?level=error&search=refused&limit=50', null],
  ['/api/v1/events?limit=50', null],
  ['/api/v1/events?type=verify.decided&limit=50', null],
  ['/api/v1/commands?status=failed', null],
  ['/api/v1/openapi.json', null],
];

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function measure(run: () => Promise<void>, times: number) {
  await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

const legacy = new pg.Client({
  connectionString: dbUrl.toString(),
  options: '-c search_path=legacy',
});
await legacy.connect();

console.log(
  `\n${N.toLocaleString('en')} decisions; ${REQUESTS} requests per endpoint (HTTP, sequential); legacy SQL ${LEGACY_REQUESTS} runs`,
);
console.log(
  '| endpoint | p50 ms | p95 ms | legacy function | legacy p50 ms | legacy p95 ms | speed-up (p95) |',
);
console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: |');
let worst = 0;
for (const [path, legacySql] of endpoints) {
  const ours = await measure(async () => {
    const res = await fetch(`${address}${path}`);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }, REQUESTS);
  worst = Math.max(worst, ours.p95);
  let legacyCells = '| – | – | – | – |';
  if (legacySql) {
    const theirs = await measure(async () => {
      await legacy.query(legacySql);
    }, LEGACY_REQUESTS);
    legacyCells = `| \`${legacySql.replace('select ', '')}\` | ${theirs.p50.toFixed(1)} | ${theirs.p95.toFixed(1)} | ${(theirs.p95 / ours.p95).toFixed(1)}× |`;
  }
  console.log(`| \`${path}\` | ${ours.p50.toFixed(1)} | ${ours.p95.toFixed(1)} ${legacyCells}`);
}
console.log(`\nworst p95: ${worst.toFixed(1)} ms (target < 50 ms)`);

let exportedRows = 0;
const exported = await measure(async () => {
  const res = await fetch(`${address}/api/v1/audit?format=csv`);
  if (res.status !== 200) throw new Error(`audit export: ${res.status}`);
  exportedRows = (await res.text()).trimEnd().split('\n').length - 1;
}, 3);
console.log(
  `audit CSV export of all ${exportedRows.toLocaleString('en')} entries: p50 ${exported.p50.toFixed(0)} ms (${Math.round(exportedRows / (exported.p50 / 1000)).toLocaleString('en')} rows/s)`,
);

await legacy.end();
await app.close();
await db.destroy();
await store.close();
if (!values['keep-db'] && !values['reuse-db']) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
