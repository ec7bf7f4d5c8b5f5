import { AckPolicy, jetstream } from '@nats-io/jetstream';
import { createEventBus, createLogger, decodeAction } from '@nezuko/kit';
import { ActionExecutedSchema, CommandStatus, create } from '@nezuko/proto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followCommandOutcomes, type OutcomeFollower } from '../src/commandOutcomes.ts';
import {
  accounts,
  appFor,
  browser,
  lastStored,
  login,
  newGroupId,
  startHarness,
  storedCount,
  type Harness,
} from './support.ts';

let harness: Harness;
let app: FastifyInstance;
let admin: Record<string, string>;
let follower: OutcomeFollower;
const botId = '7000000042';

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness).app;
  await app.ready();
  admin = browser(await login(app, accounts.admin));
  const bus = createEventBus(jetstream(harness.nc), harness.names);
  follower = await followCommandOutcomes(jetstream(harness.nc), bus, createLogger('t', 'silent'));
});

afterAll(async () => {
  await follower.stop();
  await app.close();
  await harness.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = admin) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });

async function protectedGroup(): Promise<string> {
  const groupId = newGroupId();
  const res = await post(`/groups/${groupId}/channels`, {
    channel_id: '-1009000000001',
    title: 'News',
    username: 'news_channel',
    bot_id: botId,
  });
  expect(res.statusCode).toBe(202);
  return groupId;
}

/** The next action on the bot's queue, as the gateway would take it. */
async function nextAction() {
  const stream = harness.names.stream('NZ_ACTIONS');
  const jsm = harness.jsm;
  const info = await jsm.consumers.add(stream, {
    durable_name: `test-gateway-${botId}`,
    ack_policy: AckPolicy.Explicit,
    filter_subject: harness.names.subject(`nz.act.${botId}.>`),
  });
  const consumer = await jetstream(harness.nc).consumers.get(stream, info.name);
  const msg = await consumer.next({ expires: 5000 });
  if (!msg) throw new Error('no action queued');
  msg.ack();
  return decodeAction(msg.data);
}

async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('channel links', () => {
  it('links a channel to a group with the acting admin, and later links reuse its bot', async () => {
    const groupId = await protectedGroup();
    const { event } = await lastStored(harness, `nz.evt.group.${groupId}.channel_linked`);
    expect(event).toMatchObject({
      type: 'group.channel_linked',
      event: {
        groupId,
        botId,
        channel: { id: '-1009000000001', title: 'News', username: 'news_channel' },
        actor: { who: { case: 'adminEmail', value: accounts.admin } },
      },
    });
    const second = await post(`/groups/${groupId}/channels`, { channel_id: '-1009000000002' });
    expect(second.json()).toMatchObject({ bot_id: botId });
    const unlink = await app.inject({
      method: 'DELETE',
      url: `/api/v1/groups/${groupId}/channels/-1009000000002`,
      headers: admin,
    });
    expect(unlink.statusCode).toBe(202);
    expect(await storedCount(harness, `nz.evt.group.${groupId}.channel_unlinked`)).toBe(1);
  });

  it('needs a bot for a group it has never seen (409 naming bot_id)', async () => {
    const res = await post(`/groups/${newGroupId()}/channels`, { channel_id: '-1009000000001' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'bot_id' });
  });

  it('adds a channel to several groups at once', async () => {
    const [a, b] = [await protectedGroup(), await protectedGroup()];
    const res = await post('/channels', {
      channel_id: '-1009000000003',
      title: 'Both',
      group_ids: [a, b],
    });
    expect(res.statusCode).toBe(202);
    expect(res.json<{ links: unknown[] }>().links).toHaveLength(2);
  });

  it('stores script- and SQL-looking titles as inert text', async () => {
    const groupId = await protectedGroup();
    const title = `<script>alert(1)</script>'; DROP TABLE nz_command.admins; --`;
    const res = await post(`/groups/${groupId}/channels`, { channel_id: '-1009000000004', title });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { event } = await lastStored(harness, `nz.evt.group.${groupId}.channel_linked`);
    expect(event.type === 'group.channel_linked' && event.event.channel?.title).toBe(title);
    // The accounts table is still there: nothing was executed.
    expect((await login(app, accounts.viewer)).length).toBeGreaterThan(0);
  });
});

describe('command queue', () => {
  it('queues mute_user on the owning bot and reports the Telegram outcome', async () => {
    const groupId = await protectedGroup();
    const res = await post('/commands', {
      type: 'mute_user',
      group_id: groupId,
      user_id: '1000001',
    });
    expect(res.statusCode).toBe(202);
    const body = res.json<{ command_id: string; status: string; bot_id: string }>();
    expect(body).toMatchObject({ status: 'running', bot_id: botId });

    const requested = await lastStored(harness, `nz.evt.command.${body.command_id}.requested`);
    expect(requested.event).toMatchObject({
      event: {
        type: 'mute_user',
        groupId,
        userId: '1000001',
        actor: { who: { value: accounts.admin } },
      },
    });
    const running = await lastStored(harness, `nz.evt.command.${body.command_id}.status_changed`);
    expect(running.event).toMatchObject({ event: { status: CommandStatus.RUNNING } });

    const action = await nextAction();
    expect(action).toMatchObject({
      actionId: body.command_id,
      chatId: groupId,
      kind: { case: 'restrict' },
    });

    // The gateway's report of the call (as bot-gateway publishes it) settles the command.
    const bus = createEventBus(jetstream(harness.nc), harness.names);
    await bus.publish(
      'bot.action_executed',
      create(ActionExecutedSchema, {
        actionId: body.command_id,
        botId,
        chatId: groupId,
        userId: '1000001',
        kind: 'restrict',
        method: 'restrictChatMember',
        ok: false,
        errorCode: 400,
        description: 'Bad Request: not enough rights to restrict/unrestrict chat member',
      }),
      { id: `${body.command_id}:done` },
    );
    const failed = await eventually(async () => {
      const last = await lastStored(harness, `nz.evt.command.${body.command_id}.status_changed`);
      return last.event.type === 'command.status_changed' &&
        last.event.event.status === CommandStatus.FAILED
        ? last.event.event
        : undefined;
    });
    expect(failed).toMatchObject({
      errorCode: 400,
      description: expect.stringContaining('not enough rights') as string,
    });
  });

  it('queues unban_user and leave_group as unban and leave on the group', async () => {
    const groupId = await protectedGroup();
    const unban = await post('/commands', { type: 'unban_user', group_id: groupId, user_id: '77' });
    expect(unban.statusCode).toBe(202);
    expect(await nextAction()).toMatchObject({
      actionId: unban.json<{ command_id: string }>().command_id,
      chatId: groupId,
      kind: { case: 'unban', value: { userId: '77' } },
    });
    const leave = await post('/commands', { type: 'leave_group', group_id: groupId });
    expect(leave.statusCode).toBe(202);
    expect(await nextAction()).toMatchObject({ chatId: groupId, kind: { case: 'leave' } });
  });

  it('syncs the channels linked to the group now (an unlinked one is left out)', async () => {
    const groupId = await protectedGroup();
    for (const channel_id of ['-1009000000002', '-1009000000003'])
      expect(
        (await post(`/groups/${groupId}/channels`, { channel_id, title: 'More' })).statusCode,
      ).toBe(202);
    const unlinked = await app.inject({
      method: 'DELETE',
      url: `/api/v1/groups/${groupId}/channels/-1009000000002`,
      headers: admin,
    });
    expect(unlinked.statusCode).toBe(202);
    const res = await post('/commands', { type: 'sync_members', group_id: groupId });
    expect(res.statusCode).toBe(202);
    const action = await nextAction();
    expect(action.kind.case).toBe('sync');
    expect(action.kind.case === 'sync' && [...action.kind.value.channelIds].sort()).toEqual([
      '-1009000000001',
      '-1009000000003',
    ]);
  });

  it('hands reverify_group to verification: running, then verify.recheck_requested', async () => {
    const groupId = await protectedGroup();
    const res = await post('/commands', { type: 'reverify_group', group_id: groupId });
    expect(res.statusCode).toBe(202);
    const { command_id } = res.json<{ command_id: string }>();
    const running = await lastStored(harness, `nz.evt.command.${command_id}.status_changed`);
    expect(running.event).toMatchObject({ event: { status: CommandStatus.RUNNING } });
    const request = await lastStored(harness, `nz.evt.verify.${groupId}.recheck_requested`);
    expect(request.event).toMatchObject({
      event: { commandId: command_id, groupId, botId, actor: { who: { value: accounts.admin } } },
    });
    expect(request.envelope.occurredAt.getTime()).toBeGreaterThanOrEqual(
      running.envelope.occurredAt.getTime(),
    );
  });

  it('makes a retried request with the same Idempotency-Key one command', async () => {
    const groupId = await protectedGroup();
    const payload = { type: 'send_message', group_id: groupId, text: 'Welcome <b>all</b>' };
    const headers = { ...admin, 'idempotency-key': 'send-once-1' };
    const first = await post('/commands', payload, headers);
    const second = await post('/commands', payload, headers);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    const id = first.json<{ command_id: string }>().command_id;
    expect(await storedCount(harness, `nz.evt.command.${id}.requested`)).toBe(1);
  });

  it.each([
    [{ type: 'mute_user', group_id: '-1001' }, 'user_id'],
    [{ type: 'send_message', group_id: '-1001', text: '' }, 'text'],
    [{ type: 'explode', group_id: '-1001' }, 'type'],
    [{ type: 'delete_message', group_id: '-1001', message_id: '1; DROP' }, 'message_id'],
  ])('rejects %j naming %s', async (payload, field) => {
    const res = await post('/commands', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
  });

  it('is refused to a viewer', async () => {
    const viewer = browser(await login(app, accounts.viewer));
    const res = await post(
      '/commands',
      { type: 'unmute_user', group_id: '-1001', user_id: '5' },
      viewer,
    );
    expect(res.statusCode).toBe(403);
  });
});
