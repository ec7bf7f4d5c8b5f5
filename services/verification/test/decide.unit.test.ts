// Given what is known about a member, when they join / write / press verify, then the
// decision and the Telegram actions are... No I/O: the facts are values.
import {
  AccessRestoredReason,
  create,
  TelegramUserSchema,
  VerificationOutcome,
  VerificationTrigger,
  type TelegramAction,
  type TelegramUser,
} from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../src/domain/settings.ts';
import { textsFor } from '../src/domain/texts.ts';
import {
  decideActivity,
  decideVerifyPress,
  type ActivityFacts,
  type VerifyPressFacts,
} from '../src/domain/decide.ts';
import type { ChannelCheck, MembershipFacts } from '../src/domain/facts.ts';
import type { GroupConfig, LinkedChannel } from '../src/domain/groups.ts';

const news: LinkedChannel = { id: '-1002', title: 'News', username: 'news', inviteLink: '' };
const club: LinkedChannel = {
  id: '-1003',
  title: 'Club',
  username: '',
  inviteLink: 'https://t.me/+club',
};
const hidden: LinkedChannel = { id: '-1004', title: 'Hidden', username: '', inviteLink: '' };
const group: GroupConfig = {
  groupId: '-1001',
  title: 'Readers',
  botId: '900',
  enabled: true,
  channels: [news, club],
  settings: defaultSettings,
};
const alice: TelegramUser = create(TelegramUserSchema, {
  id: '11',
  username: 'alice',
  firstName: 'Alice',
});
const bob: TelegramUser = create(TelegramUserSchema, { id: '12', firstName: 'Bob' });

const membership = (
  states: Record<string, ChannelCheck['state']>,
  cached = false,
): MembershipFacts => ({
  checks: [news, club, hidden]
    .filter((c) => states[c.id] !== undefined)
    .map((channel) => {
      const state = states[channel.id];
      return state === 'error'
        ? { channel, state, reason: '400 Bad Request: member list is inaccessible' }
        : { channel, state: state ?? 'member' };
    }),
  cached,
});
const allJoined = membership({ [news.id]: 'member', [club.id]: 'member' });
const missingNews = membership({ [news.id]: 'not_member', [club.id]: 'member' });

const activity = (overrides: Partial<ActivityFacts> = {}): ActivityFacts => ({
  eventId: 'tg:900:41',
  trigger: 'message',
  group,
  user: alice,
  senderChatId: '0',
  messageId: '77',
  promptPending: false,
  nowSeconds: 1_800_000_000,
  latencyMs: 12,
  ...overrides,
});

const { notForYou: notForYouText, verified: verifiedText } = textsFor('en');

const kinds = (actions: readonly TelegramAction[]) => actions.map((a) => a.kind.case);

function decided(step: ReturnType<typeof decideActivity> | ReturnType<typeof decideVerifyPress>) {
  if (step.kind !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(step)}`);
  return step;
}

describe('who is exempt', () => {
  it.each([
    [
      "Telegram's service account",
      { user: create(TelegramUserSchema, { id: '777000', firstName: 'Telegram' }) },
      'telegram_service_account',
    ],
    ['an anonymous admin (sent as the group)', { senderChatId: '-1001' }, 'anonymous_admin'],
    ['a post by a linked channel', { senderChatId: '-1002' }, 'linked_channel'],
    ['a post on behalf of another chat', { senderChatId: '-1999' }, 'sender_chat'],
    [
      'a bot',
      { user: create(TelegramUserSchema, { id: '13', firstName: 'Helper', isBot: true }) },
      'bot',
    ],
  ])('%s, without asking Telegram anything', (_, overrides, reason) => {
    const step = decided(decideActivity(activity(overrides)));
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.EXEMPT,
      reason,
      trigger: VerificationTrigger.MESSAGE,
    });
    expect(step.actions).toEqual([]);
  });

  it('a group admin, once their admin status is known', () => {
    expect(decideActivity(activity())).toEqual({ kind: 'lookup', lookup: 'admin' });
    const step = decided(decideActivity(activity({ admin: { kind: 'admin' } })));
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.EXEMPT,
      reason: 'group_admin',
    });
    expect(step.actions).toEqual([]);
  });
});

describe('a member who writes', () => {
  const known = { admin: { kind: 'not_admin' }, standing: { kind: 'member' } } as const;

  it('asks for membership after admin status', () => {
    expect(decideActivity(activity(known))).toEqual({ kind: 'lookup', lookup: 'membership' });
  });

  it('in every channel is verified, nothing is done', () => {
    const step = decided(
      decideActivity(activity({ ...known, membership: { ...allJoined, cached: true } })),
    );
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.VERIFIED,
      cached: true,
      latencyMs: 12,
      groupId: '-1001',
      botId: '900',
    });
    expect(step.actions).toEqual([]);
  });

  it('missing a channel: the message is deleted, the member muted and prompted once', () => {
    const step = decided(decideActivity(activity({ ...known, membership: missingNews })));
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.RESTRICTED,
      missingChannelIds: ['-1002'],
      user: { id: '11' },
    });
    expect(kinds(step.actions)).toEqual(['delete', 'restrict', 'prompt']);
    expect(step.actions.map((a) => a.actionId)).toEqual([
      'tg:900:41:delete',
      'tg:900:41:restrict',
      'tg:900:41:prompt',
    ]);
    expect(step.actions.every((a) => a.botId === '900' && a.chatId === '-1001')).toBe(true);
    expect(step.prompt).toBe('claim');
    const [deleted, restricted] = step.actions;
    expect(deleted?.kind.value).toMatchObject({ messageId: '77' });
    expect(restricted?.kind.value).toMatchObject({ userId: '11', untilDate: 0 });
  });

  it('the prompt names the member and the missing channels, with a join button each and the verify button', () => {
    const step = decided(
      decideActivity(
        activity({
          ...known,
          membership: membership({ [news.id]: 'not_member', [club.id]: 'not_member' }),
        }),
      ),
    );
    const prompt = step.actions.find((a) => a.kind.case === 'prompt');
    if (prompt?.kind.case !== 'prompt') throw new Error('no prompt');
    expect(prompt.kind.value.text).toContain('@alice');
    expect(prompt.kind.value.text).toContain('Readers');
    expect(prompt.kind.value.text).toContain('@news');
    expect(prompt.kind.value.text).toContain('Club');
    expect(prompt.kind.value.buttons.map((b) => [b.text, b.url, b.callbackData])).toEqual([
      ['Join News', 'https://t.me/news', ''],
      ['Join Club', 'https://t.me/+club', ''],
      ["I've joined — verify", '', 'nz:v:11'],
    ]);
  });

  it('a channel with neither username nor invite link is named but gets no join button', () => {
    const step = decided(
      decideActivity(
        activity({
          ...known,
          group: { ...group, channels: [hidden] },
          user: bob,
          membership: membership({ [hidden.id]: 'not_member' }),
        }),
      ),
    );
    const prompt = step.actions.find((a) => a.kind.case === 'prompt');
    if (prompt?.kind.case !== 'prompt') throw new Error('no prompt');
    expect(prompt.kind.value.text).toMatch(/^Bob, .*Hidden/);
    expect(prompt.kind.value.buttons).toHaveLength(1);
  });

  it('while a prompt already stands: deleted and muted again, but not prompted again', () => {
    const step = decided(
      decideActivity(activity({ ...known, membership: missingNews, promptPending: true })),
    );
    expect(kinds(step.actions)).toEqual(['delete', 'restrict']);
    expect(step.prompt).toBe('keep');
    expect(step.decision?.outcome).toBe(VerificationOutcome.RESTRICTED);
  });

  it('when Telegram cannot say (bot lost its rights in a channel): not muted, the decision says why', () => {
    const step = decided(
      decideActivity(
        activity({
          ...known,
          membership: membership({ [news.id]: 'error', [club.id]: 'not_member' }),
        }),
      ),
    );
    expect(step.decision?.outcome).toBe(VerificationOutcome.ERROR);
    expect(step.decision?.reason).toMatch(/@news: 400 Bad Request: member list is inaccessible/);
    expect(step.actions).toEqual([]);
  });

  it('when admin status cannot be checked: not muted, the decision says why', () => {
    const step = decided(
      decideActivity(
        activity({ admin: { kind: 'error', reason: '403 Forbidden: bot was kicked' } }),
      ),
    );
    expect(step.decision).toMatchObject({ outcome: VerificationOutcome.ERROR });
    expect(step.decision?.reason).toContain('403 Forbidden');
    expect(step.actions).toEqual([]);
  });
});

describe('a member who joins', () => {
  it('missing a channel: muted and prompted, nothing to delete', () => {
    const step = decided(
      decideActivity(
        activity({
          trigger: 'join',
          messageId: '0',
          admin: { kind: 'not_admin' },
          standing: { kind: 'member' },
          membership: missingNews,
        }),
      ),
    );
    expect(step.decision).toMatchObject({
      trigger: VerificationTrigger.JOIN,
      outcome: VerificationOutcome.RESTRICTED,
    });
    expect(kinds(step.actions)).toEqual(['restrict', 'prompt']);
  });

  it('reported a second time while the prompt stands: nothing more (no decision, no prompt)', () => {
    expect(
      decideActivity(activity({ trigger: 'join', messageId: '0', promptPending: true })),
    ).toEqual({
      kind: 'skip',
      reason: 'verification already pending',
    });
  });
});

describe('the verify button', () => {
  const press = (overrides: Partial<VerifyPressFacts> = {}): VerifyPressFacts => ({
    eventId: 'tg:900:50',
    group,
    groupId: '-1001',
    botId: '900',
    presser: alice,
    targetUserId: '11',
    callbackQueryId: 'cb-7',
    promptMessageId: '88',
    mutedByNezuko: true,
    latencyMs: 30,
    ...overrides,
  });

  it('pressed by someone else: "not for you", nothing checked, no decision', () => {
    const step = decided(decideVerifyPress(press({ presser: bob })));
    expect(step.decision).toBeUndefined();
    expect(step.actions).toHaveLength(1);
    expect(step.actions[0]?.kind.case).toBe('answerCallback');
    expect(step.actions[0]?.kind.value).toMatchObject({
      callbackQueryId: 'cb-7',
      text: notForYouText,
      showAlert: false,
    });
  });

  it('pressed by a member Nezuko no longer mutes (a human admin took over): not lifted, the prompt goes', () => {
    expect(decideVerifyPress(press({ mutedByNezuko: undefined }))).toEqual({
      kind: 'lookup',
      lookup: 'muted',
    });
    const step = decided(decideVerifyPress(press({ mutedByNezuko: false, membership: allJoined })));
    expect(kinds(step.actions)).toEqual(['delete', 'answerCallback']);
    expect(step.actions[1]?.kind.value).toMatchObject({ text: 'You are not muted by me.' });
    expect(step.prompt).toBe('clear');
  });

  it('pressed by the member: asks for a fresh membership check', () => {
    expect(decideVerifyPress(press())).toEqual({ kind: 'lookup', lookup: 'membership' });
  });

  it('after joining every channel: lifted, prompt deleted, answered, verified', () => {
    const step = decided(decideVerifyPress(press({ membership: allJoined })));
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.VERIFIED,
      trigger: VerificationTrigger.VERIFY_BUTTON,
      user: { id: '11' },
    });
    expect(kinds(step.actions)).toEqual(['lift', 'delete', 'answerCallback']);
    expect(step.actions.map((a) => a.actionId)).toEqual([
      'tg:900:50:lift',
      'tg:900:50:delete_prompt',
      'tg:900:50:answer',
    ]);
    expect(step.actions[1]?.kind.value).toMatchObject({ messageId: '88' });
    expect(step.actions[2]?.kind.value).toMatchObject({ text: verifiedText });
    expect(step.prompt).toBe('clear');
  });

  it('still missing a channel: an alert says which, still restricted', () => {
    const step = decided(decideVerifyPress(press({ membership: missingNews })));
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.RESTRICTED,
      missingChannelIds: ['-1002'],
    });
    expect(kinds(step.actions)).toEqual(['answerCallback']);
    expect(step.actions[0]?.kind.value).toMatchObject({
      showAlert: true,
      text: 'You still need to join: @news.',
    });
    expect(step.prompt).toBe('keep');
  });

  it('when protection was turned off meanwhile: released without checking', () => {
    const step = decided(decideVerifyPress(press({ group: { ...group, enabled: false } })));
    expect(kinds(step.actions)).toEqual(['lift', 'delete', 'answerCallback']);
    expect(step.decision?.outcome).toBe(VerificationOutcome.VERIFIED);
  });

  it('when Telegram cannot say: released (fail open), the decision says why', () => {
    const step = decided(
      decideVerifyPress(
        press({ membership: membership({ [news.id]: 'error', [club.id]: 'member' }) }),
      ),
    );
    expect(step.decision?.outcome).toBe(VerificationOutcome.ERROR);
    expect(kinds(step.actions)).toEqual(['lift', 'delete', 'answerCallback']);
  });
});

describe('before muting, the member’s standing in the group', () => {
  const missing = { admin: { kind: 'not_admin' }, membership: missingNews } as const;

  it('is asked for once a channel is known to be missing', () => {
    expect(decideActivity(activity(missing))).toEqual({ kind: 'lookup', lookup: 'standing' });
  });

  it('restricted by a human admin: left alone, neither muted nor prompted', () => {
    const step = decided(
      decideActivity(activity({ ...missing, standing: { kind: 'restricted_by_admin' } })),
    );
    expect(step.actions).toEqual([]);
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.EXEMPT,
      reason: 'restricted_by_admin',
    });
  });

  it('already muted by Nezuko (a message slipped in before the mute): deleted and muted again', () => {
    const step = decided(
      decideActivity(
        activity({ ...missing, promptPending: true, standing: { kind: 'muted_by_nezuko' } }),
      ),
    );
    expect(kinds(step.actions)).toEqual(['delete', 'restrict']);
  });

  it('gone from the group: nothing to do', () => {
    expect(decideActivity(activity({ ...missing, standing: { kind: 'gone' } })).kind).toBe('skip');
  });
});

describe('the group’s settings', () => {
  const missing = {
    admin: { kind: 'not_admin' },
    membership: missingNews,
    standing: { kind: 'member' },
  } as const;
  const withSettings = (settings: Partial<typeof defaultSettings>) => ({
    ...group,
    settings: { ...defaultSettings, ...settings },
  });

  it('mute for N minutes: the restriction ends by itself', () => {
    const step = decided(
      decideActivity(
        activity({
          ...missing,
          group: withSettings({ failureAction: 'mute_for', muteMinutes: 10 }),
        }),
      ),
    );
    const restrict = step.actions.find((a) => a.kind.case === 'restrict');
    expect(restrict?.kind.value).toMatchObject({ untilDate: 1_800_000_000 + 600 });
    expect(step.effects).toEqual({ muteUntil: 1_800_000_600 });
  });

  it.each([
    ['kick', true],
    ['ban', false],
  ] as const)('%s: the member is removed, no prompt', (failureAction, kick) => {
    const step = decided(
      decideActivity(activity({ ...missing, group: withSettings({ failureAction }) })),
    );
    expect(kinds(step.actions)).toEqual(['delete', 'remove']);
    expect(step.actions[1]?.kind.value).toMatchObject({ userId: '11', kick });
    expect(step.decision?.outcome).toBe(VerificationOutcome.RESTRICTED);
  });

  it('under attack: muted silently, counted toward the one summary', () => {
    const step = decided(
      decideActivity(activity({ ...missing, group: withSettings({ underAttack: true }) })),
    );
    expect(kinds(step.actions)).toEqual(['delete', 'restrict']);
    expect(step.effects).toMatchObject({ underAttack: true });
    expect(step.prompt).toBe('claim');
  });

  it('a raid detected from the join rate: muted silently like under attack', () => {
    const step = decided(
      decideActivity(activity({ ...missing, trigger: 'join', messageId: '0', raid: true })),
    );
    expect(kinds(step.actions)).toEqual(['restrict']);
    expect(step.effects).toMatchObject({ underAttack: true });
  });

  it('a prompt template fills in the name, the group and the channels', () => {
    const step = decided(
      decideActivity(
        activity({
          ...missing,
          group: withSettings({ promptTemplate: 'Hey {name}! {group} needs {channels}.' }),
        }),
      ),
    );
    const prompt = step.actions.find((a) => a.kind.case === 'prompt');
    expect(prompt?.kind.value).toMatchObject({ text: 'Hey @alice! Readers needs @news.' });
  });

  it('whitelisted users are exempt without a look-up', () => {
    const step = decided(decideActivity(activity({ group: withSettings({ whitelist: ['11'] }) })));
    expect(step.decision).toMatchObject({
      outcome: VerificationOutcome.EXEMPT,
      reason: 'whitelisted',
    });
  });

  it('other bots are checked when the group asks for it', () => {
    const helper = create(TelegramUserSchema, { id: '13', firstName: 'Helper', isBot: true });
    expect(
      decideActivity(activity({ user: helper, group: withSettings({ checkBots: true }) })),
    ).toEqual({
      kind: 'lookup',
      lookup: 'admin',
    });
  });

  it('a recheck (left channel, reconciliation) mutes and says so as a recheck decision', () => {
    const step = decided(
      decideActivity(activity({ ...missing, trigger: 'recheck', messageId: '0' })),
    );
    expect(step.decision).toMatchObject({
      trigger: VerificationTrigger.RECHECK,
      outcome: VerificationOutcome.RESTRICTED,
    });
    expect(step.outcome).toBe(VerificationOutcome.RESTRICTED);
    expect(kinds(step.actions)).toEqual(['restrict', 'prompt']);
  });
});

describe('the shared verify button under a raid summary', () => {
  const press = (overrides: Partial<VerifyPressFacts> = {}): VerifyPressFacts => ({
    eventId: 'tg:900:51',
    group,
    groupId: '-1001',
    botId: '900',
    presser: bob,
    targetUserId: '0',
    callbackQueryId: 'cb-8',
    promptMessageId: '99',
    latencyMs: 3,
    ...overrides,
  });

  it('asks whether Nezuko muted the presser; someone it did not mute is not lifted', () => {
    expect(decideVerifyPress(press())).toEqual({ kind: 'lookup', lookup: 'muted' });
    const step = decided(decideVerifyPress(press({ mutedByNezuko: false })));
    expect(kinds(step.actions)).toEqual(['answerCallback']);
    expect(step.actions[0]?.kind.value).toMatchObject({ text: 'You are not muted by me.' });
  });

  it('a prompt posted before the group became a supergroup is deleted in the old chat', () => {
    const step = decided(
      decideVerifyPress(
        press({
          targetUserId: bob.id,
          promptChatId: '-501',
          mutedByNezuko: true,
          membership: allJoined,
        }),
      ),
    );
    expect(step.actions.map((a) => [a.kind.case, a.chatId])).toEqual([
      ['lift', '-1001'],
      ['delete', '-501'],
      ['answerCallback', '-1001'],
    ]);
  });

  it('lifts a member Nezuko muted who has joined, and leaves the summary in place', () => {
    const step = decided(decideVerifyPress(press({ mutedByNezuko: true, membership: allJoined })));
    expect(kinds(step.actions)).toEqual(['lift', 'answerCallback']);
    expect(step.effects).toEqual({ unmute: AccessRestoredReason.VERIFIED });
  });
});
