// Bots, channels and one group in detail. Bot rows never carry a token: the read model
// has none (only the gateway holds tokens), and these selects name their columns.
import type { Database } from '@nezuko/analytics-projector/read-model';
import { sql, type Kysely } from 'kysely';
import { escapeLike } from './groups.ts';

type Db = Kysely<Database>;

export interface BotItem {
  readonly bot_id: string;
  readonly username: string | null;
  readonly first_name: string | null;
  readonly status: string;
  readonly lifecycle: string;
  readonly uptime_seconds: number;
  readonly last_heartbeat_at: string | null;
  readonly last_error: string | null;
  readonly last_error_at: string | null;
  readonly registered_at: string | null;
  readonly api_calls: number;
  readonly api_errors: number;
  readonly groups: number;
}

export async function listBots(db: Db, botId?: string): Promise<BotItem[]> {
  const rows = await db
    .selectFrom('bots as b')
    .$if(botId !== undefined, (q) => q.where('b.bot_id', '=', botId ?? ''))
    .select([
      'b.bot_id',
      'b.username',
      'b.first_name',
      'b.status',
      'b.lifecycle',
      'b.uptime_seconds',
      'b.last_heartbeat_at',
      'b.last_error',
      'b.last_error_at',
      'b.registered_at',
      'b.api_calls',
      'b.api_errors',
      (eb) =>
        eb
          .selectFrom('groups as g')
          .whereRef('g.bot_id', '=', 'b.bot_id')
          // A group the bot left is no longer one it serves.
          .where('g.bot_present', '=', true)
          .select(eb.fn.countAll<string>().as('n'))
          .as('groups'),
    ])
    .orderBy('b.bot_id')
    .execute();
  return rows.map((b) => ({
    bot_id: b.bot_id,
    username: b.username,
    first_name: b.first_name,
    status: b.status,
    lifecycle: b.lifecycle,
    uptime_seconds: b.uptime_seconds,
    last_heartbeat_at: b.last_heartbeat_at?.toISOString() ?? null,
    last_error: b.last_error,
    last_error_at: b.last_error_at?.toISOString() ?? null,
    registered_at: b.registered_at?.toISOString() ?? null,
    api_calls: Number(b.api_calls),
    api_errors: Number(b.api_errors),
    groups: Number(b.groups ?? 0),
  }));
}

export interface ChannelItem {
  readonly channel_id: string;
  readonly title: string | null;
  readonly username: string | null;
  readonly invite_link: string | null;
  readonly subscriber_count: number | null;
  readonly linked_groups: number;
  readonly updated_at: string;
}

export async function listChannels(
  db: Db,
  request: { page: number; perPage: number; search: string },
): Promise<{ items: ChannelItem[]; total: number }> {
  const { search } = request;
  const matching = db
    .selectFrom('channels as c')
    .$if(search !== '', (q) =>
      q.where((eb) =>
        eb.or([
          eb('c.title', 'ilike', `%${escapeLike(search)}%`),
          eb('c.username', 'ilike', `%${escapeLike(search.replace(/^@/, ''))}%`),
          eb(sql<string>`c.channel_id::text`, '=', search),
        ]),
      ),
    );
  const [{ n }, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    matching
      .select([
        'c.channel_id',
        'c.title',
        'c.username',
        'c.invite_link',
        'c.subscriber_count',
        'c.updated_at',
        (eb) =>
          eb
            .selectFrom('group_channels as gc')
            .whereRef('gc.channel_id', '=', 'c.channel_id')
            .select(eb.fn.countAll<string>().as('n'))
            .as('linked_groups'),
      ])
      .orderBy('c.title')
      .orderBy('c.channel_id')
      .limit(request.perPage)
      .offset((request.page - 1) * request.perPage)
      .execute(),
  ]);
  return {
    total: Number(n),
    items: rows.map((c) => ({
      channel_id: c.channel_id,
      title: c.title,
      username: c.username,
      invite_link: c.invite_link,
      subscriber_count: c.subscriber_count,
      linked_groups: Number(c.linked_groups ?? 0),
      updated_at: c.updated_at.toISOString(),
    })),
  };
}

export async function channelDetail(db: Db, channelId: string) {
  const channel = await db
    .selectFrom('channels')
    .select(['channel_id', 'title', 'username', 'invite_link', 'subscriber_count', 'updated_at'])
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (!channel) return null;
  const groups = await db
    .selectFrom('group_channels as gc')
    .innerJoin('groups as g', 'g.group_id', 'gc.group_id')
    .where('gc.channel_id', '=', channelId)
    .select(['g.group_id', 'g.title', 'g.enabled', 'gc.linked_at'])
    .orderBy('gc.linked_at')
    .execute();
  return {
    ...channel,
    updated_at: channel.updated_at.toISOString(),
    linked_groups: groups.map((g) => ({ ...g, linked_at: g.linked_at.toISOString() })),
  };
}

export async function groupRow(db: Db, groupId: string) {
  return db
    .selectFrom('groups')
    .select([
      'group_id',
      'title',
      'enabled',
      'bot_id',
      'settings',
      'member_count',
      'bot_present',
      'bot_left_at',
      'synced_at',
      'created_at',
      'updated_at',
    ])
    .where('group_id', '=', groupId)
    .executeTakeFirst();
}
