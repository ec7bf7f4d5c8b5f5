// GET /api/v1/groups, /groups/{id}, /channels, /channels/{id}, /bots, /bots/{id}.
import type { Database } from '@nezuko/analytics-projector/read-model';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { utcDay } from '../domain/calendar.ts';
import { percent } from '../domain/dashboard.ts';
import { totalsWindow } from '../domain/window.ts';
import { outcomeTotals } from '../queries/charts.ts';
import { channelDetail, groupRow, listBots, listChannels } from '../queries/catalogue.ts';
import { countsOnDay, linkedChannels, listGroups } from '../queries/groups.ts';
import { HttpError } from './errors.ts';
import { channelsQuery, groupsQuery, idParams } from './querySchemas.ts';
import { getRoute, type ApiRegistry } from './route.ts';
import { groupsResponse } from './schemas.ts';

const notFound = (what: string, id: string) => new HttpError(404, 'not_found', `no ${what} ${id}`);

export function catalogueRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; now: () => Date; registry: ApiRegistry },
): void {
  const { db, now, registry } = deps;

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/groups',
      summary: 'Groups, paged, searchable, by status, sorted',
      tag: 'groups',
      query: groupsQuery,
      response: groupsResponse,
    },
    async ({ query }) => {
      const { items, total } = await listGroups(db, {
        page: query.page,
        perPage: query.per_page,
        search: query.search,
        status: query.status,
        sort: query.sort,
        today: utcDay(now()),
      });
      return { items, page: query.page, per_page: query.per_page, total };
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/groups/:id',
      summary: 'One group with its linked channels and 7-day numbers',
      tag: 'groups',
      params: idParams,
    },
    async ({ params }) => {
      const group = await groupRow(db, params.id);
      if (!group) throw notFound('group', params.id);
      const today = utcDay(now());
      const [channels, todays, week] = await Promise.all([
        linkedChannels(db, [params.id]),
        countsOnDay(db, [params.id], today),
        outcomeTotals(db, totalsWindow('7d', now()), { groupId: params.id }),
      ]);
      const sum = (pred: (r: (typeof week)[number]) => boolean) =>
        week.filter(pred).reduce((s, r) => s + r.count, 0);
      const verified = sum((r) => r.outcome === 'verified');
      const restricted = sum((r) => r.outcome === 'restricted');
      const total = sum(() => true);
      return {
        ...group,
        created_at: group.created_at.toISOString(),
        updated_at: group.updated_at.toISOString(),
        bot_left_at: group.bot_left_at?.toISOString() ?? null,
        synced_at: group.synced_at?.toISOString() ?? null,
        linked_channels: channels.get(params.id) ?? [],
        protected: group.enabled && group.bot_present && (channels.get(params.id)?.length ?? 0) > 0,
        verifications_today: todays.get(params.id) ?? 0,
        week: {
          total,
          verified,
          restricted,
          success_rate: percent(verified, verified + restricted),
          cache_hit_rate: percent(
            sum((r) => r.cached),
            total,
          ),
        },
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/channels',
      summary: 'Channels, paged and searchable',
      tag: 'channels',
      query: channelsQuery,
    },
    async ({ query }) => {
      const { items, total } = await listChannels(db, {
        page: query.page,
        perPage: query.per_page,
        search: query.search,
      });
      return { items, page: query.page, per_page: query.per_page, total };
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/channels/:id',
      summary: 'One channel with its linked groups',
      tag: 'channels',
      params: idParams,
    },
    async ({ params }) => {
      const channel = await channelDetail(db, params.id);
      if (!channel) throw notFound('channel', params.id);
      return channel;
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/bots',
      summary: 'Bots (identity, status, uptime, API counters; never a token)',
      tag: 'bots',
    },
    async () => ({ items: await listBots(db) }),
  );

  getRoute(
    app,
    registry,
    { path: '/api/v1/bots/:id', summary: 'One bot (never a token)', tag: 'bots', params: idParams },
    async ({ params }) => {
      const [bot] = await listBots(db, params.id);
      if (!bot) throw notFound('bot', params.id);
      return bot;
    },
  );
}
