// Given a group and an admin command, when the facts come in, then the events and replies.
import { create, TelegramUserSchema } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import {
  channelQuery,
  decideCommand,
  type ChannelLookup,
  type CommandFacts,
  type RightsLookup,
} from '../src/domain/commands.ts';
import type { GroupConfig, LinkedChannel } from '../src/domain/groups.ts';
import { defaultSettings } from '../src/domain/settings.ts';
import { decideSettingsPress, type ButtonPressFacts } from '../src/domain/settingsKeyboard.ts';

const news: LinkedChannel = { id: '-1002', title: 'News', username: 'news', inviteLink: '' };
const club: LinkedChannel = { id: '-1003', title: 'Club', username: '', inviteLink: '' };
const olga = create(TelegramUserSchema, { id: '10', username: 'olga', firstName: 'Olga' });
const fullRights: RightsLookup = {
  kind: 'ok',
  status: 'administrator',
  canRestrict: true,
  canDelete: true,
  canInvite: true,
};
const protectedGroup: GroupConfig = {
  groupId: '-1001',
  title: 'Readers',
  botId: '900',
  enabled: true,
  channels: [news],
  settings: defaultSettings,
};

const command = (overrides: Partial<CommandFacts> = {}): CommandFacts => ({
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
const found = (
  query: string,
  channel: LinkedChannel,
  type = 'channel',
): [string, ChannelLookup] => [query, { kind: 'found', type, channel }];
/** An admin's /protect with every fact answered well. */
const readyProtect = (overrides: Partial<CommandFacts> = {}) =>
  command({
    sender: { kind: 'admin' },
    botRights: fullRights,
    channels: new Map([found('@news', news)]),
    channelRights: new Map([[news.id, fullRights]]),
    ...overrides,
  });

function decided(step: ReturnType<typeof decideCommand>) {
  if (step.kind !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(step)}`);
  return step;
}

function replyOf(step: ReturnType<typeof decideCommand>): string {
  const action = decided(step).actions.at(-1);
  if (action?.kind.case !== 'sendText') throw new Error('no reply');
  expect(action.actionId).toBe('tg:900:60:reply');
  expect(action.kind.value.replyToMessageId).toBe('70');
  return action.kind.value.text;
}

describe('/protect', () => {
  it('asks, in order: the sender’s admin status, the bot’s rights, the channels, the bot’s rights there', () => {
    expect(decideCommand(command())).toEqual({ kind: 'lookup', lookup: { kind: 'sender' } });
    expect(decideCommand(command({ sender: { kind: 'admin' } }))).toEqual({
      kind: 'lookup',
      lookup: { kind: 'bot_rights' },
    });
    expect(decideCommand(command({ sender: { kind: 'admin' }, botRights: fullRights }))).toEqual({
      kind: 'lookup',
      lookup: { kind: 'channels', queries: ['@news'] },
    });
    expect(
      decideCommand(
        command({
          sender: { kind: 'admin' },
          botRights: fullRights,
          channels: new Map([found('@news', news)]),
        }),
      ),
    ).toEqual({ kind: 'lookup', lookup: { kind: 'channel_rights', channelIds: ['-1002'] } });
  });

  it('links the channel and says so, with the admin as actor', () => {
    const step = decided(decideCommand(readyProtect()));
    expect(step.events).toHaveLength(1);
    expect(step.events[0]?.what).toBe('linked:-1002');
    expect(step.events[0]?.event.event).toMatchObject({
      groupId: '-1001',
      groupTitle: 'Readers',
      botId: '900',
      channel: { id: '-1002', title: 'News', username: 'news' },
      actor: { who: { case: 'telegramUserId', value: '10' } },
    });
    expect(replyOf(step)).toBe('Protection is on: members must join @news.');
  });

  it('links several channels at once; a private one gets an invite link the bot creates', () => {
    const facts = readyProtect({
      args: ['@news', '-1003'],
      channels: new Map([found('@news', news), found('-1003', club)]),
      channelRights: new Map([
        [news.id, fullRights],
        [club.id, fullRights],
      ]),
    });
    expect(decideCommand(facts)).toEqual({
      kind: 'lookup',
      lookup: { kind: 'invite_links', channelIds: ['-1003'] },
    });
    const step = decided(
      decideCommand({
        ...facts,
        inviteLinks: new Map([[club.id, { kind: 'ok', inviteLink: 'https://t.me/+abc' }]]),
      }),
    );
    expect(step.events.map((e) => e.what)).toEqual(['linked:-1002', 'linked:-1003']);
    expect(step.events[1]?.event.event).toMatchObject({
      channel: { id: '-1003', inviteLink: 'https://t.me/+abc' },
    });
    expect(replyOf(step)).toBe('Protection is on: members must join @news, Club.');
  });

  it('an anonymous admin (sent as the group) needs no admin look-up', () => {
    expect(decideCommand(command({ senderChatId: '-1001' }))).toEqual({
      kind: 'lookup',
      lookup: { kind: 'bot_rights' },
    });
  });

  it('refuses a member who is not an admin, linking nothing', () => {
    const step = decided(decideCommand(command({ sender: { kind: 'not_admin' } })));
    expect(replyOf(step)).toBe('Only group admins can use /protect.');
    expect(step.events).toEqual([]);
  });

  it('says exactly which rights the bot lacks in the group', () => {
    const step = decideCommand(
      readyProtect({ botRights: { ...fullRights, canRestrict: false, canDelete: false } }),
    );
    expect(replyOf(step)).toBe(
      'I need more rights in this group first: the right to restrict members, the right to delete messages. Promote me and try again.',
    );
    expect(
      replyOf(decideCommand(readyProtect({ botRights: { ...fullRights, status: 'member' } }))),
    ).toMatch(/admin status/);
  });

  it('says everything that is missing at once: rights in the group, unknown and unmanaged channels', () => {
    const step = decideCommand(
      readyProtect({
        args: ['@news', '@gone', '-1003'],
        botRights: { ...fullRights, canDelete: false },
        channels: new Map<string, ChannelLookup>([
          found('@news', news),
          ['@gone', { kind: 'not_found', reason: '400 Bad Request: chat not found' }],
          found('-1003', club),
        ]),
        channelRights: new Map<string, RightsLookup>([
          [news.id, fullRights],
          [
            club.id,
            { kind: 'error', reason: '403 Forbidden: bot is not a member of the channel chat' },
          ],
        ]),
      }),
    );
    expect(replyOf(step).split('\n')).toEqual([
      'I need more rights in this group first: the right to delete messages. Promote me and try again.',
      "I can't find @gone (400 Bad Request: chat not found). Check the name, and add me to the channel as an admin so I can see who joined.",
      "I'm not an admin in Club (403 Forbidden: bot is not a member of the channel chat). Add me there as an admin so I can see who joined.",
    ]);
  });

  it('says which channel the bot is not an admin of', () => {
    const step = decided(
      decideCommand(
        readyProtect({
          channelRights: new Map([[news.id, { ...fullRights, status: 'left' }]]),
        }),
      ),
    );
    expect(step.events).toEqual([]);
    expect(replyOf(step)).toMatch(/^I'm not an admin in @news/);
  });

  it('explains an unknown channel', () => {
    const step = decideCommand(
      readyProtect({
        channels: new Map([
          ['@news', { kind: 'not_found', reason: '400 Bad Request: chat not found' }],
        ]),
      }),
    );
    expect(replyOf(step)).toMatch(/^I can't find @news \(400 Bad Request: chat not found\)/);
  });

  it('refuses something that is not a channel', () => {
    const step = decideCommand(
      readyProtect({ channels: new Map([found('@news', news, 'supergroup')]) }),
    );
    expect(replyOf(step)).toBe('@news is not a channel.');
  });

  it('without an argument, says how to use it', () => {
    expect(replyOf(decideCommand(command({ args: [], sender: { kind: 'admin' } })))).toMatch(
      /^Usage: \/protect @channel/,
    );
  });

  it('a channel already linked is not linked twice', () => {
    const step = decided(decideCommand(readyProtect({ group: protectedGroup })));
    expect(step.events).toEqual([]);
    expect(replyOf(step)).toMatch(/already on/);
  });
});

describe('/unprotect', () => {
  const unprotect = (overrides: Partial<CommandFacts> = {}) =>
    command({
      command: 'unprotect',
      args: [],
      sender: { kind: 'admin' },
      group: { ...protectedGroup, channels: [news, club] },
      ...overrides,
    });

  it('without an argument unlinks every channel and lifts everyone Nezuko muted', () => {
    expect(decideCommand(unprotect())).toEqual({ kind: 'lookup', lookup: { kind: 'muted' } });
    const step = decided(decideCommand(unprotect({ muted: ['11', '12'] })));
    expect(step.events.map((e) => e.what)).toEqual(['unlinked:-1002', 'unlinked:-1003']);
    expect(step.actions.map((a) => a.actionId)).toEqual([
      'tg:900:60:lift:11',
      'tg:900:60:lift:12',
      'tg:900:60:reply',
    ]);
    expect(step.unmutedAll).toBe(true);
    expect(replyOf(step)).toBe('Protection is off. 2 muted member(s) can write again.');
  });

  it('with a channel unlinks that one, names what is still required, and lifts no one yet', () => {
    const step = decided(decideCommand(unprotect({ args: ['@news'] })));
    expect(step.events.map((e) => e.what)).toEqual(['unlinked:-1002']);
    expect(step.actions).toHaveLength(1);
    expect(step.unmutedAll).toBe(false);
    expect(replyOf(step)).toBe(
      '@news is no longer required. Members must still join Club; muted members are freed by the verify button once they have.',
    );
  });

  it('a channel that is not linked is named', () => {
    expect(replyOf(decideCommand(unprotect({ args: ['@other'] })))).toBe(
      '@other is not linked to this group.',
    );
  });
});

describe('/status', () => {
  it('reports protection, channels, the bot’s rights and today’s counts', () => {
    const status = command({
      command: 'status',
      args: [],
      sender: { kind: 'admin' },
      group: protectedGroup,
    });
    expect(decideCommand(status)).toEqual({ kind: 'lookup', lookup: { kind: 'bot_rights' } });
    const text = replyOf(
      decideCommand({
        ...status,
        botRights: { ...fullRights, canDelete: false },
        counts: { verified: 5, restricted: 2, exempt: 1, error: 0 },
        muted: ['11'],
      }),
    );
    expect(text).toBe(
      [
        'Protection: on',
        'Channels: @news',
        'My rights: admin yes, restrict yes, delete no, invite yes',
        'Today: 5 verified, 2 restricted, 1 exempt, 0 errors',
        'Muted by me now: 1',
      ].join('\n'),
    );
  });
});

describe('/help, /start and /settings', () => {
  it('/start in a private chat explains the bot and how to set it up', () => {
    const step = decided(decideCommand(command({ command: 'start', groupId: '10', args: [] })));
    const reply = step.actions[0];
    expect(reply?.chatId).toBe('10');
    if (reply?.kind.case !== 'sendText') throw new Error('no reply');
    expect(reply.kind.value.text).toContain('/protect @yourchannel');
  });

  it('other commands in a private chat are not answered', () => {
    expect(decideCommand(command({ groupId: '10' })).kind).toBe('ignore');
  });

  it('/help in a group lists the commands, for admins', () => {
    const text = replyOf(
      decideCommand(command({ command: 'help', args: [], sender: { kind: 'admin' } })),
    );
    expect(text).toContain('/unprotect');
    expect(
      replyOf(decideCommand(command({ command: 'help', sender: { kind: 'not_admin' } }))),
    ).toBe('Only group admins can use /help.');
  });

  it('/settings answers with the keyboard, its presses namespaced nz:s:', () => {
    const step = decided(
      decideCommand(
        command({
          command: 'settings',
          args: [],
          sender: { kind: 'admin' },
          group: protectedGroup,
        }),
      ),
    );
    const keyboard = step.actions[0];
    expect(keyboard?.actionId).toBe('tg:900:60:settings');
    if (keyboard?.kind.case !== 'sendText') throw new Error('no keyboard');
    expect(keyboard.kind.value.buttons.map((b) => b.callbackData)).toEqual([
      'nz:s:action',
      'nz:s:pdel',
      'nz:s:timeout',
      'nz:s:attack',
      'nz:s:bots',
      'nz:s:joinreq',
      'nz:s:leave',
      'nz:s:close',
    ]);
  });

  it('commands that are not Nezuko’s are ignored', () => {
    expect(decideCommand(command({ command: 'ban' })).kind).toBe('ignore');
  });
});

describe('/whitelist and /template', () => {
  const admin = (command: string, args: string[]) =>
    command_({ command, args, sender: { kind: 'admin' }, group: protectedGroup });
  const command_ = command;

  it('/whitelist add appends the whole settings with the user added', () => {
    const step = decided(decideCommand(admin('whitelist', ['add', '12'])));
    expect(step.events[0]?.what).toBe('settings');
    expect(step.events[0]?.event).toMatchObject({
      type: 'group.settings_changed',
      event: { groupId: '-1001', settings: { whitelistUserIds: ['12'] } },
    });
    expect(replyOf(step)).toBe('User 12 is whitelisted: never checked here.');
  });

  it('/whitelist remove takes the user out; bad input says how to use it', () => {
    const group = { ...protectedGroup, settings: { ...defaultSettings, whitelist: ['12', '13'] } };
    const step = decided(
      decideCommand(
        command({ command: 'whitelist', args: ['remove', '12'], sender: { kind: 'admin' }, group }),
      ),
    );
    expect(step.events[0]?.event).toMatchObject({
      event: { settings: { whitelistUserIds: ['13'] } },
    });
    expect(replyOf(decideCommand(admin('whitelist', ['add', '@bob'])))).toMatch(
      /^Usage: \/whitelist/,
    );
    expect(
      replyOf(
        decideCommand(
          command({ command: 'whitelist', args: [], sender: { kind: 'admin' }, group }),
        ),
      ),
    ).toBe('Whitelisted: 12, 13');
  });

  it('/template sets the prompt text and shows how it reads; alone it resets it', () => {
    const step = decided(
      decideCommand(admin('template', ['Hey', '{name},', 'join', '{channels}!'])),
    );
    expect(step.events[0]?.event).toMatchObject({
      event: { settings: { promptTemplate: 'Hey {name}, join {channels}!' } },
    });
    expect(replyOf(step)).toBe('New prompt text. It will read like this:\nHey @olga, join @news!');
    const reset = decided(decideCommand(admin('template', [])));
    expect(reset.events[0]?.event).toMatchObject({ event: { settings: { promptTemplate: '' } } });
  });

  it('are for admins only', () => {
    expect(
      replyOf(
        decideCommand(command({ command: 'template', args: ['x'], sender: { kind: 'not_admin' } })),
      ),
    ).toBe('Only group admins can use /template.');
  });
});

describe('a /settings button', () => {
  const press = (overrides: Partial<ButtonPressFacts> = {}): ButtonPressFacts => ({
    eventId: 'tg:900:80',
    botId: '900',
    groupId: '-1001',
    group: protectedGroup,
    user: olga,
    callbackQueryId: 'cb-1',
    messageId: '91',
    data: 'nz:s:attack',
    ...overrides,
  });

  it('pressed by a non-admin changes nothing', () => {
    expect(decideSettingsPress(press())).toEqual({ kind: 'lookup', lookup: 'sender' });
    const step = decideSettingsPress(press({ sender: { kind: 'not_admin' } }));
    if (step.kind !== 'decided') throw new Error('not decided');
    expect(step.events).toEqual([]);
    expect(step.actions[0]?.kind.value).toMatchObject({
      text: 'Only group admins can change settings.',
    });
  });

  it('pressed by an admin appends the whole new settings and redraws the keyboard', () => {
    const step = decideSettingsPress(press({ sender: { kind: 'admin' } }));
    if (step.kind !== 'decided') throw new Error('not decided');
    expect(step.events[0]?.event).toMatchObject({
      type: 'group.settings_changed',
      event: { groupId: '-1001', settings: { underAttack: true } },
    });
    expect(step.actions.map((a) => a.kind.case)).toEqual(['editText', 'answerCallback']);
    const edit = step.actions[0];
    if (edit?.kind.case !== 'editText') throw new Error('no edit');
    expect(edit.kind.value.buttons.map((b) => b.text)).toContain('Under attack mode: on');
  });

  it.each(['nz:s:unknown', 'nz:s:__proto__', 'nz:s:constructor'])(
    '%s changes nothing and is answered',
    (data) => {
      const step = decideSettingsPress(press({ sender: { kind: 'admin' }, data }));
      if (step.kind !== 'decided') throw new Error('not decided');
      expect(step.events).toEqual([]);
      expect(step.actions.map((a) => a.kind.case)).toEqual(['answerCallback']);
    },
  );

  it('close deletes the keyboard', () => {
    const step = decideSettingsPress(press({ sender: { kind: 'admin' }, data: 'nz:s:close' }));
    if (step.kind !== 'decided') throw new Error('not decided');
    expect(step.actions.map((a) => a.kind.case)).toEqual(['delete', 'answerCallback']);
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
