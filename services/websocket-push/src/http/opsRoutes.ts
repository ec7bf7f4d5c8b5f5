// GET /api/v1/logs, /audit (+ CSV), /commands, /events: the operations views. Logs and
// events are read from their streams (NZ_LOGS, NZ_EVENTS) newest first; audit and
// commands from the tables the projector fills.
import { Readable } from 'node:stream';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Database } from '@nezuko/analytics-projector/read-model';
import { decodeEvent, type Naming } from '@nezuko/kit';
import { eventCatalogue, headerNames, toJson } from '@nezuko/proto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { toLogItem } from '../domain/logItem.ts';
import { browseNewestFirst, subjectMatches, type BrowsedMsg } from '../queries/streamBrowser.ts';
import { auditQuery, commandsQuery, eventsQuery, logsQuery } from './querySchemas.ts';
import { getRoute, type ApiRegistry } from './route.ts';

export interface StreamAccess {
  readonly jsm: JetStreamManager;
  readonly names: Naming;
}

interface Deps {
  readonly db: Kysely<Database>;
  readonly registry: ApiRegistry;
  readonly streams?: StreamAccess | undefined;
}

const auditColumns = [
  'stream_seq',
  'occurred_at',
  'actor',
  'action',
  'resource_type',
  'resource_id',
  'details',
] as const;

export function opsRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, registry, streams } = deps;

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/logs',
      summary: 'Application logs (NZ_LOGS), newest first',
      tag: 'operations',
      query: logsQuery,
    },
    async ({ query }) => {
      if (!streams) return { items: [] };
      const pattern = streams.names.subject(`nz.log.*.${query.level ?? '*'}`);
      const needle = query.search.toLowerCase();
      const { items } = await browseNewestFirst(streams.jsm, streams.names.stream('NZ_LOGS'), {
        limit: query.limit,
        since: query.since ? new Date(query.since) : undefined,
        subject: query.level === undefined ? undefined : pattern,
        accept: (msg) =>
          subjectMatches(pattern, msg.subject) &&
          (needle === '' || msg.string().toLowerCase().includes(needle)),
      });
      return { items: items.map((msg) => logItem(streams.names, msg)) };
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/audit',
      summary: 'Audit log, newest first (format=csv streams every match)',
      tag: 'operations',
      query: auditQuery,
      produces: ['application/json', 'text/csv'],
    },
    async ({ query }, _request, reply) => {
      const page = (beforeSeq: string | null, limit: number) =>
        db
          .selectFrom('audit_log')
          .select([...auditColumns])
          .$if(query.action !== undefined, (q) => q.where('action', '=', query.action ?? ''))
          .$if(query.resource_type !== undefined, (q) =>
            q.where('resource_type', '=', query.resource_type ?? ''),
          )
          .$if(query.actor !== undefined, (q) => q.where('actor', '=', query.actor ?? ''))
          .$if(query.since !== undefined, (q) =>
            q.where('occurred_at', '>=', new Date(query.since ?? 0)),
          )
          .$if(query.until !== undefined, (q) =>
            q.where('occurred_at', '<', new Date(query.until ?? 0)),
          )
          .$if(beforeSeq !== null, (q) => q.where('stream_seq', '<', beforeSeq ?? '0'))
          .orderBy('stream_seq', 'desc')
          .limit(limit)
          .execute();
      if (query.format === 'json') {
        const rows = await page(null, query.limit);
        return { items: rows.map(auditItem) };
      }
      // CSV: every matching row, fetched in keyset pages while the response streams.
      async function* csv() {
        yield `${auditColumns.join(',')}\n`;
        let before: string | null = null;
        for (;;) {
          const rows = await page(before, 1000);
          for (const row of rows) {
            const item = auditItem(row);
            yield `${[item.seq, item.occurred_at, item.actor, item.action, item.resource_type, item.resource_id ?? '', JSON.stringify(item.details)].map(csvCell).join(',')}\n`;
          }
          if (rows.length < 1000) return;
          before = rows[rows.length - 1]!.stream_seq;
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .send(Readable.from(csv()));
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/commands',
      summary: 'Admin commands and their status, newest first',
      tag: 'operations',
      query: commandsQuery,
    },
    async ({ query }) => {
      const rows = await db
        .selectFrom('admin_commands')
        .selectAll()
        .$if(query.status !== undefined, (q) => q.where('status', '=', query.status ?? ''))
        .orderBy('requested_at', 'desc')
        .orderBy('command_id')
        .limit(query.limit)
        .execute();
      return {
        items: rows.map((r) => ({
          ...r,
          requested_at: r.requested_at.toISOString(),
          updated_at: r.updated_at.toISOString(),
        })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      path: '/api/v1/events',
      summary: 'Decoded events from NZ_EVENTS, newest first',
      tag: 'operations',
      query: eventsQuery,
    },
    async ({ query }) => {
      if (!streams) return { items: [] };
      const pattern = streams.names.subject(query.subject ?? 'nz.evt.>');
      const { items, exhausted } = await browseNewestFirst(
        streams.jsm,
        streams.names.stream('NZ_EVENTS'),
        {
          limit: query.limit,
          since: query.since ? new Date(query.since) : undefined,
          subject: query.subject === undefined ? undefined : pattern,
          accept: (msg) =>
            subjectMatches(pattern, msg.subject) &&
            (query.type === undefined || msg.header?.get(headerNames.type) === query.type),
        },
      );
      return { items: items.map((msg) => eventItem(streams.names, msg)), complete: exhausted };
    },
  );
}

function logItem(names: Naming, msg: BrowsedMsg) {
  return toLogItem(names, {
    seq: msg.seq,
    subject: msg.subject,
    time: msg.time,
    text: msg.string(),
  });
}

function eventItem(names: Naming, msg: BrowsedMsg) {
  const base = { seq: msg.seq, subject: names.local(msg.subject), time: msg.time.toISOString() };
  try {
    const { envelope, event } = decodeEvent(msg.header, msg.data);
    const schema = eventCatalogue[event.type].schema as Parameters<typeof toJson>[0];
    return {
      ...base,
      type: event.type,
      id: envelope.id,
      occurred_at: envelope.occurredAt.toISOString(),
      correlation_id: envelope.correlationId,
      data: toJson(schema, event.event as never),
    };
  } catch (error) {
    return {
      ...base,
      type: msg.header?.get(headerNames.type) ?? null,
      undecodable: (error as Error).message,
    };
  }
}

function auditItem(row: {
  stream_seq: string;
  occurred_at: Date;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: unknown;
}) {
  return {
    seq: Number(row.stream_seq),
    occurred_at: row.occurred_at.toISOString(),
    actor: row.actor,
    action: row.action,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    details: row.details,
  };
}

/** RFC 4180 cell; a leading formula character is neutralised for spreadsheet safety. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
