// The whole story across real processes: the five services and the Telegram emulator run
// as separate processes on real NATS, PostgreSQL and Redis. An admin protects a group, a
// newcomer is muted with a prompt, joins the channel, presses verify and is unmuted; the
// read model counts each decision once and a dashboard WebSocket receives it live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, protectGroup, startStack, type TestStack } from './support/stack.ts';

interface ActivityItem {
  seq: number;
  user_id: string;
  outcome: string;
  trigger: string;
}

let stack: TestStack;
const pushed: { type: string; item?: ActivityItem }[] = [];
let socket: WebSocket;

beforeAll(async () => {
  stack = await startStack();
  socket = new WebSocket(`ws://127.0.0.1:${stack.ports.readApi}/ws`);
  socket.addEventListener('message', (event) =>
    pushed.push(JSON.parse(String(event.data)) as (typeof pushed)[number]),
  );
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('WebSocket did not open')));
  });
  socket.send(JSON.stringify({ type: 'subscribe', topics: ['activity'] }));
});

afterAll(async () => {
  socket?.close();
  await stack?.stop();
});

describe('walking skeleton, end to end across processes', () => {
  it('mutes a newcomer until they join the channel and press verify, and counts it once', async () => {
    const { tg, world, readApi } = stack;
    await protectGroup(stack);

    const bob = await tg.createUser('Bob', 'bob_e2e');
    await tg.join(world.group, bob.id);
    const prompt = await eventually('a prompt for Bob', () => tg.promptFor(world.group, bob.id));
    expect(await tg.statusOf(world.group, bob.id)).toBe('restricted');
    const buttons = prompt.reply_markup?.inline_keyboard.flat() ?? [];
    expect(buttons.some((b) => b.url?.includes('e2e_news'))).toBe(true);
    expect(buttons.some((b) => b.callback_data === `nz:v:${bob.id}`)).toBe(true);

    await tg.join(world.channel, bob.id);
    const press = await tg.press(world.group, bob.id, prompt.message_id, `nz:v:${bob.id}`);
    await eventually(
      'Bob unmuted',
      async () => (await tg.statusOf(world.group, bob.id)) === 'member',
    );
    await eventually(
      'the prompt deleted',
      async () => (await tg.promptFor(world.group, bob.id)) === undefined,
    );
    // the answer is its own action on the queue: it may land just after the lift
    const answer = await eventually('the button press answered', async () => {
      const seen = await tg.callback(press.callback_query_id);
      return seen.answered ? seen : undefined;
    });
    expect(answer.answer?.text).toMatch(/verified/i);

    const activity = await eventually('both decisions in the read model', async () => {
      const res = await fetch(`${readApi}/api/v1/dashboard/activity?limit=100`);
      const body = (await res.json()) as { items: ActivityItem[] };
      const mine = body.items.filter((i) => i.user_id === String(bob.id));
      return mine.some((i) => i.outcome === 'verified') ? mine : undefined;
    });
    expect(activity.filter((i) => i.outcome === 'restricted' && i.trigger === 'join')).toHaveLength(
      1,
    );
    expect(
      activity.filter((i) => i.outcome === 'verified' && i.trigger === 'verify_button'),
    ).toHaveLength(1);

    const stats = (await (await fetch(`${readApi}/api/v1/dashboard/stats`)).json()) as Record<
      string,
      number
    >;
    expect(stats.total_groups).toBe(1);
    expect(stats.total_channels).toBe(1);
    expect(stats.verifications_today).toBe(activity.length);

    const live = await eventually('the verification pushed over the WebSocket', () =>
      Promise.resolve(
        pushed.find(
          (m) =>
            m.type === 'verification' &&
            m.item?.user_id === String(bob.id) &&
            m.item.outcome === 'verified',
        ),
      ),
    );
    expect(live.item?.trigger).toBe('verify_button');
  });
});
