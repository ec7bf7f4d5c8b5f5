// reverify_group through real parts (NATS, Redis, the gateway against the emulator): an
// admin's verify.recheck_requested re-checks every recently active member of the group,
// at most RECONCILE_BATCH now and the rest on the next reconciliation tick; those who left
// a linked channel (Telegram's update lost, the cache still saying member) are muted, and
// the command's outcome is reported.
import {
  CommandStatus,
  create,
  GroupRecheckRequestedSchema,
  VerificationOutcome,
  VerificationTrigger,
} from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, protectedGroup, startWorld, type World } from './support/world.ts';

describe('reverify_group', () => {
  let w: World;
  let ids: { olga: number; group: number; news: number };

  const activeMember = async (name: string) => {
    const id = await w.user(name, `${name.toLowerCase()}_reader`);
    await w.join(ids.news, id);
    await w.join(ids.group, id);
    await w.write(ids.group, id, 'hello');
    await w.space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(id) && d.outcome === VerificationOutcome.VERIFIED,
    );
    return id;
  };
  /** Leaves the channel without Telegram telling the bot; the cache keeps "member". */
  const leaveSilently = async (userId: number) => {
    await w.tg.control('PUT', `/control/chats/${ids.news}/members/${userId}`, { status: 'left' });
    await w.redis.set(`${w.space.names.namespace}:nz:member:${ids.news}:${userId}`, '1', 'EX', 600);
  };
  const request = (groupId: number, commandId: string) =>
    w.space.bus.publish(
      'verify.recheck_requested',
      create(GroupRecheckRequestedSchema, {
        groupId: String(groupId),
        botId: String(w.bot.id),
        commandId,
        actor: { who: { case: 'adminEmail', value: 'olga@example.com' } },
      }),
      { id: `${commandId}:3` },
    );

  beforeAll(async () => {
    w = await startWorld('reverify', { RECONCILE_BATCH: 2 });
    ids = await protectedGroup(w);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('mutes every active member who left a channel, two now and the third on the next tick', async () => {
    const ann = await activeMember('Ann');
    const ben = await activeMember('Ben');
    const cid = await activeMember('Cid');
    const dan = await activeMember('Dan');
    await leaveSilently(ben);
    await leaveSilently(cid);
    await leaveSilently(dan);

    await request(ids.group, 'cmd:reverify-1');
    const outcome = await w.space.waitForEvent(
      'command.status_changed',
      (s) => s.commandId === 'cmd:reverify-1',
    );
    expect(outcome.event).toMatchObject({
      status: CommandStatus.SUCCEEDED,
      groupId: String(ids.group),
      description:
        '2 of 4 recently active members re-checked; the rest follow with the reconciliation',
    });
    const restricted = async () => {
      const statuses = await Promise.all(
        [ben, cid, dan].map(async (id) => (await w.member(ids.group, id))?.status),
      );
      return statuses.filter((s) => s === 'restricted').length;
    };
    // The cap held: not all three leavers were checked at once.
    await eventually(async () => expect(await restricted()).toBeGreaterThanOrEqual(1));
    expect(await restricted()).toBeLessThanOrEqual(2);

    await w.advance(1);
    await eventually(async () => expect(await restricted()).toBe(3));
    expect((await w.member(ids.group, ann))?.status).toBe('member');
    // Every re-checked member has a recheck decision: Ann verified, the leavers restricted.
    const rechecked = await w.space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(dan) && d.trigger === VerificationTrigger.RECHECK,
    );
    expect(rechecked.event.outcome).toBe(VerificationOutcome.RESTRICTED);
  });

  it('fails, saying why, for a group that is not protected', async () => {
    await request(-100999, 'cmd:reverify-2');
    const outcome = await w.space.waitForEvent(
      'command.status_changed',
      (s) => s.commandId === 'cmd:reverify-2',
    );
    expect(outcome.event).toMatchObject({
      status: CommandStatus.FAILED,
      description: expect.stringContaining('not protected') as string,
    });
  });
});
