// The groups listing: a page of groups with their linked channels and today's count.
import type { Database } from '@nezuko/analytics-projector/read-model';
import type { Kysely } from 'kysely';
import { dayStart } from './dashboard.ts';
import { sql } from 'kysely';
import type { GroupItem, LinkedChannel } from '../http/schemas.ts';

type Db = Kysely<Database>;

export interface GroupPageRequest {
  readonly page: number;
  readonly perPage: number;
  /** Matches the title (case-insensitive, anywhere) or the exact group id. */
  readonly search: string;
  readonly today: string;
  readonly status?: GroupStatusFilter;
  /** Column, '-' first for descending. */
  readonly sort?: GroupSort;
}

export type GroupStatusFilter = 'all' | 'enabled' | 'disabled' | 'protected' | 'unprotected';
export type GroupSort =
  'created_at' | '-created_at' | 'title' | '-title' | 'updated_at' | '-updated_at';

export async function listGroups(
  db: Db,
  request: GroupPageRequest,
): Promise<{ items: GroupItem[]; total: number }> {
  const { search } = request;
  const status = request.status ?? 'all';
  const sort = request.sort ?? '-created_at';
  const linked = sql<boolean>`exists (select 1 from group_channels gc where gc.group_id = groups.group_id)`;
  const matching = db
    .selectFrom('groups')
    .$if(search !== '', (q) =>
      q.where((eb) =>
        eb.or([
          eb('title', 'ilike', `%${escapeLike(search)}%`),
          eb(sql<string>`group_id::text`, '=', search),
        ]),
      ),
    )
    .$if(status === 'enabled', (q) => q.where('enabled', '=', true))
    .$if(status === 'disabled', (q) => q.where('enabled', '=', false))
    // Protected: enabled, a channel linked, and the bot still in the group.
    .$if(status === 'protected', (q) =>
      q.where('enabled', '=', true).where('bot_present', '=', true).where(linked),
    )
    .$if(status === 'unprotected', (q) =>
      q.where((eb) =>
        eb.or([eb('enabled', '=', false), eb('bot_present', '=', false), eb.not(linked)]),
      ),
    );
  const column = sort.replace(/^-/, '') as 'created_at' | 'title' | 'updated_at';
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const [{ n }, groups] = await Promise.all([
    matching.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    matching
      .selectAll()
      .orderBy(column, direction)
      .orderBy('group_id', direction)
      .limit(request.perPage)
      .offset((request.page - 1) * request.perPage)
      .execute(),
  ]);
  const ids = groups.map((g) => g.group_id);
  const [channels, todays] = await Promise.all([
    linkedChannels(db, ids),
    countsOnDay(db, ids, request.today),
  ]);
  return {
    total: Number(n),
    items: groups.map((g) => ({
      group_id: g.group_id,
      title: g.title,
      enabled: g.enabled,
      bot_id: g.bot_id,
      bot_present: g.bot_present,
      member_count: g.member_count,
      linked_channels: channels.get(g.group_id) ?? [],
      verifications_today: todays.get(g.group_id) ?? 0,
      created_at: g.created_at.toISOString(),
      updated_at: g.updated_at.toISOString(),
    })),
  };
}

export async function linkedChannels(
  db: Db,
  groupIds: readonly string[],
): Promise<Map<string, LinkedChannel[]>> {
  const byGroup = new Map<string, LinkedChannel[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .selectFrom('group_channels as gc')
    .innerJoin('channels as c', 'c.channel_id', 'gc.channel_id')
    .where('gc.group_id', 'in', groupIds)
    .select(['gc.group_id', 'c.channel_id', 'c.title', 'c.username', 'c.invite_link'])
    .orderBy('gc.linked_at')
    .orderBy('c.channel_id')
    .execute();
  for (const { group_id, ...channel } of rows) {
    byGroup.set(group_id, [...(byGroup.get(group_id) ?? []), channel]);
  }
  return byGroup;
}

export async function countsOnDay(
  db: Db,
  groupIds: readonly string[],
  day: string,
): Promise<Map<string, number>> {
  if (groupIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('verification_group_day')
    .where('bucket', '=', dayStart(day))
    .where('group_id', 'in', groupIds)
    .groupBy('group_id')
    .select(['group_id', (eb) => eb.fn.sum<string>('count').as('n')])
    .execute();
  return new Map(rows.map((r) => [r.group_id, Number(r.n)]));
}

/** Search text is literal: '%' and '_' typed by a user match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
