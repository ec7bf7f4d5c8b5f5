// GET /api/v1/groups: protected groups, paged and searchable.
import type { Database } from '@nezuko/analytics-projector/read-model';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { utcDay } from '../domain/calendar.ts';
import { listGroups } from '../queries/groups.ts';
import { parseQuery } from './errors.ts';
import { groupsQuery, type GroupsResponse } from './schemas.ts';

export function groupRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  const { db, now } = deps;
  app.get('/api/v1/groups', async (request): Promise<GroupsResponse> => {
    const { page, per_page, search } = parseQuery(groupsQuery, request.query);
    const { items, total } = await listGroups(db, {
      page,
      perPage: per_page,
      search,
      today: utcDay(now()),
    });
    return { items, page, per_page, total };
  });
}
