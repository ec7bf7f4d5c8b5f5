// A gateway replica killed in the middle of a send, and the action redelivered to the next
// lease holder: the prompt is never posted twice. Each "replica" is a fresh executor (its
// own memory), sharing the real NZ_SENDS bucket and posting to the emulator.
import {
  bucketName,
  createEventBus,
  openLeaseBucket,
  type Delivery,
  type EventBus,
} from '@nezuko/kit';
import { create, kvBuckets, TelegramActionSchema, type TelegramAction } from '@nezuko/proto';
import { metrics } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionExecutor } from '../src/actions/execute.ts';
import { createSendLedger, type SendLedger } from '../src/actions/sendLedger.ts';
import { createTelegramClient } from '../src/telegram/client.ts';
import { createCallSpacing } from '../src/telegram/limiter.ts';
import {
  quietLogger,
  startNatsSpace,
  startTelegram,
  type NatsSpace,
  type Telegram,
} from './support/harness.ts';

const meter = metrics.getMeter('send-ledger-test');

describe('a send redelivered after its replica died', () => {
  let tg: Telegram;
  let space: NatsSpace;
  let ledger: SendLedger;
  let bot: { id: number; token: string };
  let group: number;
  let member: number;

  beforeAll(async () => {
    tg = await startTelegram();
    space = await startNatsSpace('sends');
    bot = await tg.control('POST', '/control/bots', { username: 'sends_bot', first_name: 'S' });
    const owner = await tg.control<{ id: number }>('POST', '/control/users', { first_name: 'O' });
    member = (await tg.control<{ id: number }>('POST', '/control/users', { first_name: 'M' })).id;
    group = (
      await tg.control<{ id: number }>('POST', '/control/chats', {
        type: 'supergroup',
        title: 'Sends',
        creator_id: owner.id,
      })
    ).id;
    await tg.control('PUT', `/control/chats/${group}/members/${bot.id}`, {
      status: 'administrator',
    });
    const kv = await openLeaseBucket(
      space.js,
      bucketName(
        kvBuckets.find((b) => b.name === 'NZ_SENDS')!,
        space.names,
      ),
    );
    ledger = createSendLedger(kv);
  });

  afterAll(async () => {
    await space?.close();
    await tg?.close();
  });

  const replica = (overrides: { sends?: SendLedger; bus?: EventBus } = {}) =>
    createActionExecutor({
      botId: String(bot.id),
      telegram: createTelegramClient({
        token: bot.token,
        apiRoot: tg.url,
        limiter: createCallSpacing(30),
        meter,
      }),
      bus: overrides.bus ?? createEventBus(space.js, space.names),
      logger: quietLogger,
      meter,
      maxDeliver: 10,
      sends: overrides.sends ?? ledger,
    });
  const prompt = (actionId: string): TelegramAction =>
    create(TelegramActionSchema, {
      actionId,
      botId: String(bot.id),
      chatId: String(group),
      kind: {
        case: 'prompt',
        value: {
          userId: String(member),
          text: actionId,
          buttons: [{ text: 'Verify', callbackData: 'nz:v:1' }],
        },
      },
    });
  const delivery = (action: TelegramAction, deliveryCount: number): Delivery<TelegramAction> => ({
    value: action,
    subject: 'test',
    streamSequence: 1,
    deliveryCount,
  });
  const posted = async (text: string) =>
    (
      await tg.control<{ text?: string; sent_by_bot_id?: number }[]>(
        'GET',
        `/control/chats/${group}/messages`,
      )
    ).filter((m) => m.sent_by_bot_id === bot.id && m.text === text);

  it('killed after Telegram posted, before the outcome was kept: not posted again', async () => {
    const diesAfterTheCall: SendLedger = {
      ...ledger,
      finish: () => Promise.reject(new Error('replica killed')),
    };
    await expect(
      replica({ sends: diesAfterTheCall })(delivery(prompt('k1:prompt'), 1)),
    ).rejects.toThrow('replica killed');
    expect(await posted('k1:prompt')).toHaveLength(1);

    await replica()(delivery(prompt('k1:prompt'), 2));
    expect(await posted('k1:prompt')).toHaveLength(1);
    const outcome = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'k1:prompt',
    );
    expect(outcome.event).toMatchObject({ ok: false, kind: 'prompt' });
    expect(outcome.event.description).toMatch(/not sent again/);
  });

  it('killed after the outcome was kept, before it was stored: the same outcome is stored', async () => {
    const bus = createEventBus(space.js, space.names);
    const diesBeforeStoring: EventBus = {
      ...bus,
      publish: () => Promise.reject(new Error('replica killed')),
    };
    await expect(
      replica({ bus: diesBeforeStoring })(delivery(prompt('k2:prompt'), 1)),
    ).rejects.toThrow('replica killed');
    const [message] = await posted('k2:prompt');
    expect(message).toBeDefined();

    await replica()(delivery(prompt('k2:prompt'), 2));
    expect(await posted('k2:prompt')).toHaveLength(1);
    const outcome = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'k2:prompt',
    );
    expect(outcome.event).toMatchObject({ ok: true, kind: 'prompt' });
    expect(outcome.event.resultMessageId).not.toBe('0');
  });

  it('a send Telegram refused with a flood wait is sent by the retry', async () => {
    await tg.control('POST', '/control/faults', {
      method: 'sendMessage',
      error_code: 429,
      retry_after: 1,
      times: 1,
    });
    await expect(replica()(delivery(prompt('k3:prompt'), 1))).rejects.toThrow(/429/);
    expect(await posted('k3:prompt')).toHaveLength(0);
    await replica()(delivery(prompt('k3:prompt'), 2));
    expect(await posted('k3:prompt')).toHaveLength(1);
  });
});
