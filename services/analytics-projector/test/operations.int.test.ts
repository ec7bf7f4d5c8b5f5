// The operational events (Telegram API calls, bot lifecycle, audit, admin commands, group
// settings) become read-model rows whose numbers match what the test published; an event
// type this build does not know is skipped and counted, not dead-lettered.
import { headers } from '@nats-io/transport-node';
import { createLogger } from '@nezuko/kit';
import {
  AuditRecordedSchema,
  BotLifecycle,
  BotLifecycleChangedSchema,
  CommandRequestedSchema,
  CommandStatus,
  CommandStatusChangedSchema,
  create,
  GroupSettingsChangedSchema,
  TelegramApiCalledSchema,
} from '@nezuko/proto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Projector } from '../src/app.ts';
import type { Database } from '../src/readModel/index.ts';
import { waitFor, type EventStoreFixture } from '../src/testing/index.ts';
import {
  openReadModelWorld,
  startProjectorIn,
  type ReadModelWorld,
} from './support/readModelWorld.ts';

let world: ReadModelWorld;
let store: EventStoreFixture;
let db: Kysely<Database>;
let projector: Projector | undefined;

beforeAll(async () => {
  world = await openReadModelWorld('ops');
  ({ store, db } = world);
});

afterAll(async () => {
  await projector?.stop();
  await world?.close();
});

it('projects API calls, lifecycle, audit, commands and settings; skips unknown types', async () => {
  const { bus } = store;
  const at = new Date('2026-04-10T08:15:00Z');
  const calls: { method: string; ok: boolean; latency: number }[] = [];
  for (let i = 0; i < 120; i += 1) {
    const call = {
      method: i % 3 === 0 ? 'getChatMember' : 'restrictChatMember',
      ok: i % 10 !== 0,
      latency: 20 + (i % 50),
    };
    calls.push(call);
    await bus.publish(
      'bot.api_called',
      create(TelegramApiCalledSchema, {
        botId: '7001',
        method: call.method,
        chatId: '-1001',
        latencyMs: call.latency,
        ok: call.ok,
        errorCode: call.ok ? 0 : 429,
      }),
      { id: `call-${i}`, occurredAt: new Date(at.getTime() + i * 60_000) },
    );
  }
  await bus.publish(
    'bot.lifecycle_changed',
    create(BotLifecycleChangedSchema, { botId: '7001', lifecycle: BotLifecycle.DISABLED }),
    { id: 'life-1', occurredAt: at },
  );
  await bus.publish(
    'audit.recorded',
    create(AuditRecordedSchema, {
      auditId: 'a1',
      actor: { who: { case: 'adminEmail', value: 'ops@example.com' } },
      action: 'group.enable',
      resourceType: 'group',
      resourceId: '-1001',
      succeeded: true,
    }),
    { id: 'audit-1', occurredAt: at },
  );
  await bus.publish(
    'command.requested',
    create(CommandRequestedSchema, {
      commandId: 'c1',
      type: 'ban',
      botId: '7001',
      groupId: '-1001',
    }),
    { id: 'cmd-1', occurredAt: at },
  );
  await bus.publish(
    'command.status_changed',
    create(CommandStatusChangedSchema, {
      commandId: 'c1',
      status: CommandStatus.FAILED,
      description: 'Bad Request: not enough rights',
    }),
    { id: 'cmd-2', occurredAt: new Date(at.getTime() + 1000) },
  );
  // The gateway's outcome (via the command service's outcome follower) can be appended
  // before the "running" of the request that queued the action: it must not be undone.
  await bus.publish(
    'command.requested',
    create(CommandRequestedSchema, {
      commandId: 'c2',
      type: 'ban',
      botId: '7001',
      groupId: '-1001',
    }),
    { id: 'cmd-3', occurredAt: at },
  );
  for (const [id, status] of [
    ['cmd-4', CommandStatus.SUCCEEDED],
    ['cmd-5', CommandStatus.RUNNING],
  ] as const) {
    await bus.publish(
      'command.status_changed',
      create(CommandStatusChangedSchema, { commandId: 'c2', status }),
      { id, occurredAt: new Date(at.getTime() + 2000) },
    );
  }
  await bus.publish(
    'group.settings_changed',
    create(GroupSettingsChangedSchema, { groupId: '-1001', settings: {} }),
    { id: 'set-1', occurredAt: at },
  );
  // A newer producer's event type: skipped and counted, the stream goes on.
  const h = headers();
  h.set('Nats-Msg-Id', 'future-1');
  h.set('nz-type', 'bot.teleported');
  h.set('nz-occurred-at', at.toISOString());
  const future = await store.js.publish(
    store.names.subject('nz.evt.bot.7001.teleported'),
    new Uint8Array(),
    {
      headers: h,
    },
  );

  projector = await startProjectorIn(world, createLogger('ops-test', 'silent'));
  await waitFor(() => projector?.checkpoint() === future.seq, 15_000, 'checkpoint');

  const perMethod = await db
    .selectFrom('api_call_hour')
    .groupBy(['method', 'ok'])
    .select([
      'method',
      'ok',
      sql<string>`sum(count)`.as('n'),
      sql<string>`sum(latency_ms_sum)`.as('latency'),
    ])
    .orderBy('method')
    .orderBy('ok')
    .execute();
  const expected = new Map<string, { n: number; latency: number }>();
  for (const c of calls) {
    const key = `${c.method}|${c.ok}`;
    const row = expected.get(key) ?? { n: 0, latency: 0 };
    expected.set(key, { n: row.n + 1, latency: row.latency + c.latency });
  }
  expect(
    new Map(
      perMethod.map((r) => [`${r.method}|${r.ok}`, { n: Number(r.n), latency: Number(r.latency) }]),
    ),
  ).toEqual(expected);
  const bot = await db
    .selectFrom('bots')
    .select(['api_calls', 'api_errors', 'lifecycle'])
    .executeTakeFirstOrThrow();
  expect({ ...bot, api_calls: Number(bot.api_calls), api_errors: Number(bot.api_errors) }).toEqual({
    api_calls: 120,
    api_errors: calls.filter((c) => !c.ok).length,
    lifecycle: 'disabled',
  });
  expect(
    await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'resource_type', 'resource_id'])
      .execute(),
  ).toEqual([
    {
      actor: 'ops@example.com',
      action: 'group.enable',
      resource_type: 'group',
      resource_id: '-1001',
    },
  ]);
  expect(
    await db
      .selectFrom('admin_commands')
      .select(['command_id', 'kind', 'status', 'error'])
      .orderBy('command_id')
      .execute(),
  ).toEqual([
    { command_id: 'c1', kind: 'ban', status: 'failed', error: 'Bad Request: not enough rights' },
    { command_id: 'c2', kind: 'ban', status: 'succeeded', error: null },
  ]);
  const group = await db.selectFrom('groups').select('settings').executeTakeFirstOrThrow();
  expect(typeof group.settings).toBe('object');
  const unknown = await db
    .selectFrom('event_stats_hour')
    .where('result', '=', 'unknown')
    .select(['event_type', 'count'])
    .execute();
  expect(unknown).toEqual([{ event_type: 'bot.teleported', count: '1' }]);
});
