// A group's life after it is linked, through real JetStream and Postgres: a sync refreshes
// titles and counts, channel joins and leaves move a known subscriber count, the bot
// leaving takes the group out of protection, a migration moves every row to the supergroup
// id, and active users per bucket count distinct members (rechecks excluded).
import { createLogger } from '@nezuko/kit';
import {
  ChannelMemberChangedSchema,
  create,
  GroupBotLeftSchema,
  GroupMigratedSchema,
  GroupSettingsChangedSchema,
  GroupSyncedSchema,
  TelegramApiCalledSchema,
  type EventOf,
  type EventType,
} from '@nezuko/proto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Projector } from '../src/app.ts';
import type { Database } from '../src/readModel/index.ts';
import {
  channelLinked,
  decision,
  waitFor,
  type DecisionInput,
  type EventStoreFixture,
} from '../src/testing/index.ts';
import {
  openReadModelWorld,
  startProjectorIn,
  type ReadModelWorld,
} from './support/readModelWorld.ts';

let world: ReadModelWorld;
let store: EventStoreFixture;
let db: Kysely<Database>;
let projector: Projector | undefined;
let n = 0;

const at = new Date('2026-04-08T10:20:00Z'); // a Wednesday
const minutes = (m: number) => new Date(at.getTime() + m * 60_000);

beforeAll(async () => {
  world = await openReadModelWorld('lifecycle');
  ({ store, db } = world);
  projector = await startProjectorIn(world, createLogger('lifecycle-test', 'silent'));
});

afterAll(async () => {
  await projector?.stop();
  await world?.close();
});

const publish = <T extends EventType>(
  type: T,
  event: EventOf<T>,
  options: { occurredAt?: Date } = {},
) => store.bus.publish(type, event, { id: `e-${(n += 1)}`, occurredAt: at, ...options });
const projected = async (seq: number) =>
  waitFor(() => (projector?.checkpoint() ?? 0) >= seq, 15_000, `checkpoint ${seq}`);
const decide = (input: DecisionInput, occurredAt: Date) =>
  publish('verify.decided', decision(input), { occurredAt });
const channelChange = (channelId: string, userId: string, oldStatus: string, newStatus: string) =>
  publish(
    'channel.member_changed',
    create(ChannelMemberChangedSchema, { botId: '7001', channelId, userId, oldStatus, newStatus }),
  );

it('a sync refreshes titles and counts; joins and leaves move a known subscriber count', async () => {
  await publish(
    'group.channel_linked',
    channelLinked({ groupId: '-1001', groupTitle: 'Readers', channelId: '-2001' }),
  );
  // Before any sync the count is unknown: a join cannot make it "1".
  await channelChange('-2001', '31', 'left', 'member');
  await publish(
    'group.synced',
    create(GroupSyncedSchema, {
      groupId: '-1001',
      botId: '7001',
      title: 'Readers Club',
      memberCount: 42,
      channels: [
        { channelId: '-2001', title: 'News Daily', subscriberCount: 100 },
        { channelId: '-2002', title: '', subscriberCount: 0, error: 'Bad Request: chat not found' },
      ],
      actionId: 'cmd:sync-1',
    }),
  );
  await channelChange('-2001', '32', 'left', 'member'); // +1
  await channelChange('-2001', '33', 'member', 'left'); // -1
  await channelChange('-2001', '34', 'kicked', 'member'); // +1
  await channelChange('-2001', '35', 'member', 'administrator'); // still subscribed
  const last = await channelChange('-2001', '36', 'left', 'kicked'); // still out
  await projected(last.seq);

  expect(
    await db
      .selectFrom('groups')
      .where('group_id', '=', '-1001')
      .select(['title', 'member_count', 'bot_present'])
      .executeTakeFirstOrThrow(),
  ).toEqual({ title: 'Readers Club', member_count: 42, bot_present: true });
  expect(
    await db.selectFrom('channels').select(['channel_id', 'title', 'subscriber_count']).execute(),
  ).toEqual([{ channel_id: '-2001', title: 'News Daily', subscriber_count: 101 }]);
});

it('the bot leaving takes the group out of protection until a bot links it again', async () => {
  await publish(
    'group.channel_linked',
    channelLinked({ groupId: '-1002', groupTitle: 'Makers', channelId: '-2003' }),
  );
  // Another bot's leave does not concern the group's bot.
  await publish(
    'group.bot_left',
    create(GroupBotLeftSchema, { groupId: '-1002', botId: '7999', actionId: 'x' }),
  );
  const left = await publish(
    'group.bot_left',
    create(GroupBotLeftSchema, { groupId: '-1002', botId: '7001', actionId: 'cmd:leave-1' }),
    { occurredAt: minutes(5) },
  );
  await projected(left.seq);
  const row = () =>
    db
      .selectFrom('groups')
      .where('group_id', '=', '-1002')
      .select(['bot_present', 'bot_left_at', 'bot_id'])
      .executeTakeFirstOrThrow();
  expect(await row()).toEqual({ bot_present: false, bot_left_at: minutes(5), bot_id: '7001' });

  const back = await publish(
    'group.channel_linked',
    channelLinked({ groupId: '-1002', channelId: '-2003', botId: '7002' }),
    { occurredAt: minutes(9) },
  );
  await projected(back.seq);
  expect(await row()).toEqual({ bot_present: true, bot_left_at: null, bot_id: '7002' });
});

it('a migration moves the group, its links, decisions and rollups to the supergroup id', async () => {
  const [basic, supergroup] = ['-500', '-100500'];
  await publish(
    'group.channel_linked',
    channelLinked({ groupId: basic, groupTitle: 'Garden', channelId: '-2004' }),
    { occurredAt: minutes(-60) },
  );
  await publish(
    'group.settings_changed',
    create(GroupSettingsChangedSchema, { groupId: basic, settings: { muteMinutes: 15 } }),
    { occurredAt: minutes(-59) },
  );
  await decide({ groupId: basic, userId: '41', outcome: 'verified', latencyMs: 12 }, minutes(1));
  await decide({ groupId: basic, userId: '42', outcome: 'restricted', latencyMs: 300 }, minutes(2));
  await publish(
    'bot.api_called',
    create(TelegramApiCalledSchema, {
      botId: '7001',
      method: 'restrictChatMember',
      chatId: basic,
      latencyMs: 40,
      ok: true,
    }),
    { occurredAt: minutes(2) },
  );
  // Telegram's first update under the new id reached the projector before the migration.
  await decide({ groupId: supergroup, userId: '41', outcome: 'verified' }, minutes(3));
  const migrated = await publish(
    'group.migrated',
    create(GroupMigratedSchema, { groupId: basic, newGroupId: supergroup, botId: '7001' }),
    { occurredAt: minutes(4) },
  );
  await projected(migrated.seq);

  const groups = await db
    .selectFrom('groups')
    .where('group_id', 'in', [basic, supergroup])
    .select(['group_id', 'title', 'enabled', 'settings'])
    .execute();
  expect(groups).toEqual([
    {
      group_id: supergroup,
      title: 'Garden',
      enabled: true,
      settings: expect.objectContaining({ muteMinutes: 15 }) as unknown,
    },
  ]);
  expect(
    await db
      .selectFrom('group_channels')
      .where('channel_id', '=', '-2004')
      .select('group_id')
      .execute(),
  ).toEqual([{ group_id: supergroup }]);
  const logGroups = await db
    .selectFrom('verification_log')
    .where('user_id', 'in', ['41', '42'])
    .select('group_id')
    .distinct()
    .execute();
  expect(logGroups).toEqual([{ group_id: supergroup }]);
  const hours = await db
    .selectFrom('verification_hour')
    .where('group_id', 'in', [basic, supergroup])
    .groupBy(['group_id', 'outcome'])
    .select(['group_id', 'outcome', sql<string>`sum(count)`.as('n')])
    .orderBy('outcome')
    .execute();
  expect(hours).toEqual([
    { group_id: supergroup, outcome: 'restricted', n: '1' },
    { group_id: supergroup, outcome: 'verified', n: '2' },
  ]);
  const day = await db
    .selectFrom('verification_group_day')
    .where('group_id', 'in', [basic, supergroup])
    .select(['group_id', 'count', 'verified', 'restricted'])
    .execute();
  expect(day).toEqual([{ group_id: supergroup, count: '3', verified: '2', restricted: '1' }]);
  const calls = await db
    .selectFrom('api_call_hour')
    .where('group_id', 'in', [basic, supergroup])
    .select(['group_id', 'count'])
    .execute();
  expect(calls).toEqual([{ group_id: supergroup, count: '1' }]);
});

it('active users: distinct members per hour, day and week; rechecks are not activity', async () => {
  const monday = new Date('2026-05-04T00:00:00Z');
  const t = (hours: number) => new Date(monday.getTime() + hours * 3_600_000 + 60_000);
  await decide({ groupId: '-1003', userId: '51', outcome: 'verified' }, t(9));
  await decide({ groupId: '-1003', userId: '51', outcome: 'verified', trigger: 'message' }, t(9));
  await decide({ groupId: '-1004', userId: '52', outcome: 'restricted' }, t(9));
  await decide({ groupId: '-1003', userId: '53', outcome: 'restricted', trigger: 'recheck' }, t(9));
  await decide({ groupId: '-1003', userId: '51', outcome: 'verified', trigger: 'message' }, t(10));
  const last = await decide(
    { groupId: '-1003', userId: '54', outcome: 'verified', trigger: 'verify_button' },
    t(24 * 2 + 1), // Wednesday, same ISO week
  );
  await projected(last.seq);

  const counts = await db
    .selectFrom('active_users')
    .where('bucket', '>=', monday)
    .select(['granularity', 'bucket', 'users'])
    .orderBy('granularity')
    .orderBy('bucket')
    .execute();
  const hour = (h: number) => new Date(monday.getTime() + h * 3_600_000);
  expect(counts).toEqual([
    { granularity: 'day', bucket: monday, users: '2' },
    { granularity: 'day', bucket: hour(48), users: '1' },
    { granularity: 'hour', bucket: hour(9), users: '2' },
    { granularity: 'hour', bucket: hour(10), users: '1' },
    { granularity: 'hour', bucket: hour(49), users: '1' },
    { granularity: 'week', bucket: monday, users: '3' },
  ]);
  // The recheck decision itself is in the log, with its trigger.
  expect(
    await db.selectFrom('verification_log').where('user_id', '=', '53').select('trigger').execute(),
  ).toEqual([{ trigger: 'recheck' }]);
});

it('active users stay exact when decisions arrive late, within and across batches', async () => {
  // 400 member decisions (and some rechecks) over three weeks of June, published in a
  // shuffled order in three parts, each part projected before the next: later parts bring
  // hours, days and weeks the earlier ones already counted, and ones they did not.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const start = Date.UTC(2026, 5, 1); // a Monday
  const decisions = Array.from({ length: 400 }, () => ({
    userId: String(900 + Math.floor(random() * 15)),
    occurredAt: new Date(start + Math.floor(random() * 21 * 24 * 60) * 60_000),
    trigger: random() < 0.15 ? ('recheck' as const) : ('message' as const),
  }));
  const shuffled = [...decisions].sort(() => random() - 0.5);
  const expected = new Map<string, Set<string>>();
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  for (const d of decisions) {
    if (d.trigger === 'recheck') continue;
    const ms = d.occurredAt.getTime();
    const day = Math.floor(ms / DAY) * DAY;
    const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
    for (const key of [`hour|${Math.floor(ms / HOUR) * HOUR}`, `day|${day}`, `week|${monday}`]) {
      expected.set(key, (expected.get(key) ?? new Set()).add(d.userId));
    }
  }
  for (const part of [shuffled.slice(0, 150), shuffled.slice(150, 300), shuffled.slice(300)]) {
    let last = 0;
    for (const d of part) {
      ({ seq: last } = await decide(
        { groupId: '-1005', userId: d.userId, outcome: 'verified', trigger: d.trigger },
        d.occurredAt,
      ));
    }
    await projected(last);
  }

  const counted = await db
    .selectFrom('active_users')
    .where('bucket', '>=', new Date(start))
    .where('bucket', '<', new Date(start + 21 * DAY))
    .select(['granularity', 'bucket', 'users'])
    .execute();
  expect(
    new Map(counted.map((r) => [`${r.granularity}|${r.bucket.getTime()}`, Number(r.users)])),
  ).toEqual(new Map([...expected].map(([key, users]) => [key, users.size])));
});
