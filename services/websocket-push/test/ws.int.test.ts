// The live feed over a real WebSocket: decisions published to JetStream are pushed as
// activity items; a reconnect with since_seq receives exactly what it missed, in order,
// before live ones; malformed client messages get an error, not a crash.
import { channelLinked, decision, waitFor } from '@nezuko/analytics-projector/testing';
import { createLogger } from '@nezuko/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { activityItem } from '../src/http/schemas.ts';
import { startReadSide, type ReadSide } from './support.ts';
import { connectSocket } from './wsClient.ts';

let side: ReadSide;
let url: string;
let n = 0;

const publishDecision = async (groupId = '-1001') => {
  n += 1;
  const { seq } = await side.store.bus.publish(
    'verify.decided',
    decision({
      groupId,
      userId: String(9000 + n),
      outcome: n % 2 ? 'verified' : 'restricted',
      username: `user${n}`,
    }),
    { id: `ws-${n}` },
  );
  return seq;
};

beforeAll(async () => {
  side = await startReadSide('ws');
  const { seq } = await side.store.bus.publish(
    'group.channel_linked',
    channelLinked({ groupId: '-1001', groupTitle: 'Alpha', channelId: '-2001' }),
    { id: 'link' },
  );
  await waitFor(() => side.projector.checkpoint() === seq, 10_000, 'group projected');
  await publishDecision();
  await publishDecision();
  const address = await side.app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address.replace('http', 'ws')}/ws`;
  await waitFor(() => side.feed.attached() && side.feed.latestSeq() > 0, 10_000, 'live feed');
});

afterAll(async () => {
  await side?.close();
});

describe('WebSocket /ws', () => {
  it('greets with the latest decision seq and pushes new decisions live', async () => {
    const client = await connectSocket(url);
    const hello = await client.next();
    expect(hello).toEqual({ type: 'hello', seq: side.feed.latestSeq() });
    client.send({ type: 'subscribe', topics: ['activity'] });
    await client.next((m) => m.type === 'subscribed');
    const seq = await publishDecision();
    const pushed = await client.next((m) => m.type === 'verification');
    expect(pushed.seq).toBe(seq);
    const item = activityItem.parse(pushed.item);
    expect(item).toMatchObject({
      seq,
      group_id: '-1001',
      group_title: 'Alpha',
      user_id: String(9000 + n),
      username: `user${n}`,
      outcome: n % 2 ? 'verified' : 'restricted',
    });

    // The same decision, as the read API shows it once projected, is the same item.
    await waitFor(() => side.projector.checkpoint() >= seq, 10_000, 'projection');
    const fromApi = (await side.app.inject('/api/v1/dashboard/activity?limit=1')).json<{
      items: unknown[];
    }>().items[0];
    expect(fromApi).toEqual(pushed.item);
    await client.close();
  });

  it('replays exactly the decisions missed while disconnected, then continues live', async () => {
    const first = await connectSocket(url);
    await first.next();
    first.send({ type: 'subscribe', topics: ['activity'] });
    await first.next((m) => m.type === 'subscribed');
    const seen = await publishDecision();
    expect((await first.next((m) => m.type === 'verification')).seq).toBe(seen);
    await first.close();

    const missed = [
      await publishDecision('-1002'),
      await publishDecision(),
      await publishDecision('-1003'),
    ];
    await waitFor(
      () => side.feed.latestSeq() === missed[2],
      10_000,
      'feed to see the missed decisions',
    );

    const again = await connectSocket(url);
    expect(await again.next()).toEqual({ type: 'hello', seq: missed[2] });
    again.send({ type: 'subscribe', topics: ['activity'], since_seq: seen });
    const replayed = [];
    for (let i = 0; i < 3; i += 1)
      replayed.push(await again.next((m) => m.type === 'verification'));
    expect(replayed.map((m) => m.seq)).toEqual(missed);
    expect(await again.next((m) => m.type === 'subscribed')).toMatchObject({ seq: missed[2] });
    const live = await publishDecision();
    expect((await again.next((m) => m.type === 'verification')).seq).toBe(live);
    expect(again.messages.filter((m) => m.type === 'verification')).toHaveLength(4); // no repeats
    await again.close();
  });

  it('tells a client that is too far behind to resync instead of replaying everything', async () => {
    const strict = await buildApp({
      db: side.db,
      feed: side.feed,
      probes: { checks: {}, serveMetrics: (_req, res) => res.end() },
      logger: createLogger('wsp-test', 'silent'),
      hub: { replayLimit: 2 },
    });
    const address = await strict.listen({ port: 0, host: '127.0.0.1' });
    const client = await connectSocket(`${address.replace('http', 'ws')}/ws`);
    await client.next();
    client.send({ type: 'subscribe', topics: ['activity'], since_seq: 0 });
    expect(await client.next((m) => m.type !== 'verification')).toMatchObject({
      type: 'resync',
      seq: side.feed.latestSeq(),
    });
    expect(client.messages.filter((m) => m.type === 'verification')).toHaveLength(0);
    await client.close();
    await strict.close();
  });

  it('answers malformed client messages with an error and keeps the connection', async () => {
    const client = await connectSocket(url);
    await client.next();
    client.sendRaw('not json');
    expect(await client.next()).toEqual({ type: 'error', message: 'message is not valid JSON' });
    client.send({ type: 'subscribe', topics: [] });
    const empty = await client.next();
    expect(empty.type).toBe('error');
    expect(String(empty.message)).toContain('topics');
    client.send({ type: 'subscribe', topics: ['everything'] });
    expect(await client.next()).toMatchObject({ type: 'error' });
    client.send({ type: 'launch' });
    expect(await client.next()).toMatchObject({ type: 'error' });
    client.send({ type: 'subscribe', topics: ['activity'], since_seq: -1 });
    const negative = await client.next();
    expect(negative.type).toBe('error');
    expect(String(negative.message)).toContain('since_seq');
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
    await client.close();
  });

  it('forwards model-changed notices to clients subscribed to models', async () => {
    const client = await connectSocket(url);
    await client.next();
    client.send({ type: 'subscribe', topics: ['models'] });
    await client.next((m) => m.type === 'subscribed');
    const seq = await publishDecision();
    // Notices of earlier writes may still be in flight; this write's notice must come.
    const notice = await client.next((m) => m.type === 'model_changed' && m.seq === seq);
    expect(notice).toEqual({ type: 'model_changed', model: 'verifications', seq });
    expect(client.messages.some((m) => m.type === 'verification')).toBe(false);
    await client.close();
  });
});
