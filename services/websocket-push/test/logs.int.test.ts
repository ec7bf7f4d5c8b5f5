// The `logs` topic over a real WebSocket: a service's log record shipped by kit reaches a
// subscribed dashboard live in the item shape of GET /api/v1/logs, clients that did not
// ask get nothing, and a log storm arrives bounded with its skipped records counted.
import { waitFor } from '@nezuko/analytics-projector/testing';
import { createLogger, createLogShipper } from '@nezuko/kit';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReadSide, type ReadSide } from './support.ts';
import { connectSocket, type TestSocket } from './wsClient.ts';

let side: ReadSide;
let url: string;

beforeAll(async () => {
  side = await startReadSide('logs', {}, { intervalMs: 150, maxPerInterval: 20 });
  const address = await side.app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address.replace('http', 'ws')}/ws`;
  await waitFor(() => side.logs.attached(), 10_000, 'log tail');
});

afterAll(async () => {
  await side?.close();
});

async function subscribed(topics: string[]): Promise<TestSocket> {
  const client = await connectSocket(url);
  await client.next((m) => m.type === 'hello');
  client.send({ type: 'subscribe', topics });
  await client.next((m) => m.type === 'subscribed');
  return client;
}

describe('WebSocket topic "logs"', () => {
  it('pushes a shipped log record live, as GET /api/v1/logs shows it', async () => {
    const watching = await subscribed(['logs']);
    const elsewhere = await subscribed(['models']);
    const shipper = createLogShipper({ service: 'wsp-demo', lingerMs: 10 });
    const logger = createLogger('wsp-demo', 'info', new Writable({ write: (_c, _e, cb) => cb() }), {
      level: 'info',
      destination: shipper.destination,
    });
    shipper.attach({ nc: side.store.nc, js: side.store.js, names: side.store.names });
    logger.warn({ attempt: 3 }, 'sign-in refused');

    const pushed = await watching.next((m) => m.type === 'log');
    expect(pushed.item).toMatchObject({
      service: 'wsp-demo',
      level: 'warn',
      entry: { msg: 'sign-in refused', attempt: 3, service: 'wsp-demo', level: 'warn' },
    });
    const listed = (await side.app.inject('/api/v1/logs?limit=1')).json<{ items: unknown[] }>();
    expect(listed.items[0]).toEqual(pushed.item);

    await new Promise((r) => setTimeout(r, 400));
    expect(elsewhere.messages.filter((m) => m.type === 'log')).toEqual([]);
    shipper.stop();
    await watching.close();
    await elsewhere.close();
  });

  it('bounds a storm: at most the newest records per interval, the rest counted as skipped', async () => {
    const client = await subscribed(['logs']);
    const total = 400;
    const subject = side.store.names.subject('nz.log.storm.info');
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        side.store.js.publish(subject, JSON.stringify({ level: 'info', msg: `line ${i}` })),
      ),
    );
    const counted = () => {
      const logs = client.messages.filter((m) => m.type === 'log');
      const skipped = client.messages
        .filter((m) => m.type === 'log_skipped')
        .reduce((sum, m) => sum + Number(m.count), 0);
      return { logs: logs.length, skipped };
    };
    await waitFor(() => counted().logs + counted().skipped === total, 10_000, 'storm delivered');
    const { logs, skipped } = counted();
    expect(skipped).toBeGreaterThan(0);
    // Each interval sends at most 20 lines; the storm took only a few intervals.
    expect(logs).toBeLessThan(total / 2);
    const last = client.messages.filter((m) => m.type === 'log').at(-1) as {
      item: { entry: { msg: string } };
    };
    expect(last.item.entry.msg).toBe(`line ${total - 1}`);
    await client.close();
  });
});
