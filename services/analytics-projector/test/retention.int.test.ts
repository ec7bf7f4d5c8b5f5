// Retention against a real read model: month partitions of the verification log wholly
// older than the log's retention are dropped (newer ones and their rows stay) and member
// days older than it deleted, minute rollup rows older than theirs are deleted, 0 days
// keeps everything, and the schedule applies the policy as soon as it starts.
import { createLogger } from '@nezuko/kit';
import { createTestDatabase, testEnv, type TestDatabase } from '@nezuko/kit/testing';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { applyRetention, scheduleRetention } from '../src/retention.ts';
import {
  createPartitionCache,
  createReadModelDb,
  ensureMonthPartitions,
  migrateToLatest,
  type Database,
} from '../src/readModel/index.ts';
import { waitFor } from '../src/testing/index.ts';

let database: TestDatabase | undefined;
let db: Kysely<Database>;
const now = new Date('2026-03-20T12:00:00Z');

beforeEach(async () => {
  await db?.destroy();
  await database?.drop();
  database = await createTestDatabase(testEnv().databaseUrl);
  db = createReadModelDb(database.url);
  await migrateToLatest(db);
  const months = ['2026-01-15', '2026-02-15', '2026-03-15'].map((d) => new Date(`${d}T00:00:00Z`));
  await ensureMonthPartitions(db, createPartitionCache(), 'verification_log', months);
  for (const [i, at] of months.entries()) {
    await sql`
      insert into verification_log (stream_seq, event_id, occurred_at, group_id, bot_id, user_id,
        outcome, trigger, cached, latency_ms)
      values (${i + 1}, ${`e${i}`}, ${at}, -1001, 7001, 42, 'verified', 'join', false, 5)
    `.execute(db);
  }
  // Member days from 2026-01-15 to 2026-03-15 (the 30-day cut-off is 2026-02-18).
  await sql`
    insert into user_days (user_id, day, hours)
    select 42, d::date, 1 from generate_series('2026-01-15'::date, '2026-03-15'::date, '1 day') d
  `.execute(db);
  // Minute rows 10, 8, 6 and 1 days before `now`.
  for (const daysAgo of [10, 8, 6, 1]) {
    await sql`
      insert into verification_bot_minute (bucket, group_id, bot_id, outcome, cached, count,
        latency_ms_sum, latency_ms_max, latency_hist)
      values (${new Date(now.getTime() - daysAgo * 86_400_000)}, 0, 7001, 'verified', false,
        1, 5, 5, '{1,0,0,0,0,0,0,0,0,0,0,0}')
    `.execute(db);
  }
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const partitions = async () => {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'verification_log'::regclass order by 1
  `.execute(db);
  return rows.map((r) => r.name);
};
const count = async (table: 'verification_log' | 'verification_bot_minute' | 'user_days') => {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(
    db,
  );
  return Number(rows[0]?.n);
};

it('drops wholly expired log months and deletes expired minute rows', async () => {
  // 30 days before now is 2026-02-18: January ended before it, February did not.
  const result = await applyRetention(db, { verificationLogDays: 30, minuteRollupDays: 7 }, now);
  expect(result).toEqual({
    droppedPartitions: ['verification_log_2026_01'],
    minuteRowsDeleted: 2,
    userDaysDeleted: 34, // 2026-01-15 .. 2026-02-17
  });
  expect(await partitions()).toEqual(['verification_log_2026_02', 'verification_log_2026_03']);
  expect(await count('verification_log')).toBe(2);
  expect(await count('verification_bot_minute')).toBe(2);
  expect(await count('user_days')).toBe(26); // 2026-02-18 .. 2026-03-15
});

it('keeps everything when both retentions are 0', async () => {
  const result = await applyRetention(db, { verificationLogDays: 0, minuteRollupDays: 0 }, now);
  expect(result).toEqual({ droppedPartitions: [], minuteRowsDeleted: 0, userDaysDeleted: 0 });
  expect(await count('verification_log')).toBe(3);
  expect(await count('verification_bot_minute')).toBe(4);
  expect(await count('user_days')).toBe(60);
});

it('applies the policy as soon as the schedule starts', async () => {
  const schedule = scheduleRetention(
    db,
    { verificationLogDays: 0, minuteRollupDays: 2 },
    { logger: createLogger('retention-test', 'silent'), everyMs: 60_000, now: () => now },
  );
  try {
    await waitFor(async () => (await count('verification_bot_minute')) === 1, 10_000, 'pruned');
    expect(await count('verification_log')).toBe(3);
  } finally {
    await schedule.stop();
  }
});

it('reads a policy given as a function at every run (operator settings change it live)', async () => {
  let days = 0;
  const schedule = scheduleRetention(
    db,
    () => ({ verificationLogDays: days, minuteRollupDays: 0 }),
    { logger: createLogger('retention-test', 'silent'), everyMs: 200, now: () => now },
  );
  try {
    await new Promise((r) => setTimeout(r, 500));
    expect(await count('verification_log')).toBe(3);
    days = 30;
    await waitFor(
      async () => (await partitions()).length === 2,
      10_000,
      'the expired month dropped',
    );
  } finally {
    await schedule.stop();
  }
});
