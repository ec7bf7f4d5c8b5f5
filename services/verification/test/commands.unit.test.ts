// Given a group and an admin command, when the facts come in, then the events and replies.
import { create, TelegramUserSchema } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../src/domain/settings.ts';
import { channelQuery, decideCommand, type CommandFacts } from '../src/domain/commands.ts';
import type { GroupConfig } from '../src/domain/groups.ts';

const news = { id: '-1002', title: 'News', username: 'news', inviteLink: '' };
const olga = create(TelegramUserSchema, { id: '10', username: 'olga', firstName: 'Olga' });

const protect = (overrides: Partial<CommandFacts> = {}): CommandFacts => ({
  eventId: 'tg:900:60',
  command: 'protect',
  args: ['@news'],
  botId: '900',
  groupId: '-1001',
  groupTitle: 'Readers',
  group: undefined,
  user: olga,
  senderChatId: '0',
  messageId: '70',
  ...overrides,
});

function replyOf(step: ReturnType<typeof decideCommand>): string {
  if (step.kind !== 'decided') throw new Error(`expected a reply, got ${JSON.stringify(step)}`);
  const action = step.actions[0];
  if (action?.kind.case !== 'sendText') throw new Error('no reply');
  expect(action.actionId).toBe('tg:900:60:reply');
  expect(action.kind.value.replyToMessageId).toBe('70');
  return action.kind.value.text;
}

describe('/protect', () => {
  it('first asks whether the sender is an admin, then what the channel is', () => {
    expect(decideCommand(protect())).toEqual({ kind: 'lookup', lookup: { kind: 'sender' } });
    expect(decideCommand(protect({ sender: { kind: 'admin' } }))).toEqual({
      kind: 'lookup',
      lookup: { kind: 'channel', query: '@news' },
    });
  });

  it('links the channel and says so, with the admin as actor', () => {
    const step = decideCommand(
      protect({
        sender: { kind: 'admin' },
        channel: { kind: 'found', type: 'channel', channel: news },
      }),
    );
    if (step.kind !== 'decided') throw new Error('not decided');
    expect(step.linked).toMatchObject({
      groupId: '-1001',
      groupTitle: 'Readers',
      botId: '900',
      channel: { id: '-1002', title: 'News', username: 'news' },
      actor: { who: { case: 'telegramUserId', value: '10' } },
    });
    expect(replyOf(step)).toBe('Protection is on: members must join @news.');
  });

  it('an anonymous admin (sent as the group) needs no admin look-up', () => {
    expect(decideCommand(protect({ senderChatId: '-1001' }))).toEqual({
      kind: 'lookup',
      lookup: { kind: 'channel', query: '@news' },
    });
  });

  it('refuses a member who is not an admin, linking nothing', () => {
    const step = decideCommand(protect({ sender: { kind: 'not_admin' } }));
    expect(replyOf(step)).toBe('Only group admins can use /protect.');
    expect(step.kind === 'decided' && step.linked).toBeUndefined();
  });

  it('explains an unknown channel', () => {
    const step = decideCommand(
      protect({
        sender: { kind: 'admin' },
        channel: { kind: 'not_found', reason: '400 Bad Request: chat not found' },
      }),
    );
    expect(replyOf(step)).toMatch(/^I can't find @news \(400 Bad Request: chat not found\)/);
  });

  it('refuses something that is not a channel', () => {
    const step = decideCommand(
      protect({
        sender: { kind: 'admin' },
        channel: { kind: 'found', type: 'supergroup', channel: news },
      }),
    );
    expect(replyOf(step)).toBe('@news is not a channel.');
  });

  it('without an argument, says how to use it', () => {
    expect(replyOf(decideCommand(protect({ args: [], sender: { kind: 'admin' } })))).toMatch(
      /^Usage: \/protect @channel/,
    );
  });

  it('a channel already linked is not linked twice', () => {
    const group: GroupConfig = {
      groupId: '-1001',
      title: 'Readers',
      botId: '900',
      enabled: true,
      channels: [news],
      settings: defaultSettings,
    };
    const step = decideCommand(
      protect({
        group,
        sender: { kind: 'admin' },
        channel: { kind: 'found', type: 'channel', channel: news },
      }),
    );
    expect(step.kind === 'decided' && step.linked).toBeUndefined();
    expect(replyOf(step)).toMatch(/already on/);
  });
});

describe('other commands', () => {
  it('are not Nezuko’s to answer yet', () => {
    expect(decideCommand(protect({ command: 'start' })).kind).toBe('ignore');
  });
});

describe('channel argument', () => {
  it.each([
    ['@news', '@news'],
    ['news', '@news'],
    ['https://t.me/news', '@news'],
    ['t.me/news', '@news'],
    ['-1001234567890', '-1001234567890'],
    ['@a', undefined],
    ['not a name!', undefined],
    [undefined, undefined],
  ])('%s -> %s', (arg, query) => {
    expect(channelQuery(arg)).toBe(query);
  });
});
