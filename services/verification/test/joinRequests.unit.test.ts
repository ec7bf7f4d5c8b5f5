// Given a join request to a protected group, when membership is known, then...
import { create, TelegramUserSchema } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import type { MembershipFacts } from '../src/domain/facts.ts';
import type { GroupConfig, LinkedChannel } from '../src/domain/groups.ts';
import { decideJoinRequest, type JoinRequestFacts } from '../src/domain/joinRequests.ts';
import { defaultSettings } from '../src/domain/settings.ts';

const news: LinkedChannel = { id: '-1002', title: 'News', username: 'news', inviteLink: '' };
const group: GroupConfig = {
  groupId: '-1001',
  title: 'Readers',
  botId: '900',
  enabled: true,
  channels: [news],
  settings: defaultSettings,
};
const alice = create(TelegramUserSchema, { id: '11', firstName: 'Alice' });
const joined: MembershipFacts = { checks: [{ channel: news, state: 'member' }], cached: false };
const missing: MembershipFacts = {
  checks: [{ channel: news, state: 'not_member' }],
  cached: false,
};

const request = (overrides: Partial<JoinRequestFacts> = {}): JoinRequestFacts => ({
  eventId: 'tg:900:70',
  group,
  user: alice,
  userChatId: '11',
  again: false,
  ...overrides,
});

describe('a join request', () => {
  it('asks for membership, then approves a requester in every channel', () => {
    expect(decideJoinRequest(request())).toEqual({ kind: 'lookup', lookup: 'membership' });
    const step = decideJoinRequest(request({ membership: joined }));
    expect(step).toMatchObject({ kind: 'decided', outcome: 'approved' });
    if (step.kind !== 'decided') return;
    expect(step.actions.map((a) => [a.actionId, a.kind.case])).toEqual([
      ['tg:900:70:approve', 'approveJoin'],
    ]);
  });

  it('missing a channel: tells the requester in private with a join button, then declines', () => {
    const step = decideJoinRequest(request({ membership: missing }));
    if (step.kind !== 'decided') throw new Error('not decided');
    expect(step.outcome).toBe('declined');
    const [tell, decline] = step.actions;
    expect(tell?.chatId).toBe('11');
    expect(tell?.kind.value).toMatchObject({
      text: 'To join Readers, please join @news first. Then ask to join again.',
      buttons: [{ text: 'Join News', url: 'https://t.me/news' }],
    });
    expect(decline?.kind.case).toBe('declineJoin');
    expect(decline?.chatId).toBe('-1001');
  });

  it('left pending per setting: told, not declined; looked at again later without repeating it', () => {
    const pendingGroup = {
      ...group,
      settings: { ...defaultSettings, joinRequestPolicy: 'leave_pending' as const },
    };
    const step = decideJoinRequest(request({ group: pendingGroup, membership: missing }));
    if (step.kind !== 'decided') throw new Error('not decided');
    expect(step.outcome).toBe('pending');
    expect(step.actions.map((a) => a.kind.case)).toEqual(['sendText']);
    expect(
      decideJoinRequest(request({ group: pendingGroup, membership: missing, again: true })),
    ).toEqual({ kind: 'decided', outcome: 'pending', actions: [] });
  });

  it('whitelisted requesters are approved without a look-up', () => {
    const step = decideJoinRequest(
      request({ group: { ...group, settings: { ...defaultSettings, whitelist: ['11'] } } }),
    );
    expect(step).toMatchObject({ kind: 'decided', outcome: 'approved' });
  });

  it('when Telegram cannot say: approved (fail open)', () => {
    const step = decideJoinRequest(
      request({
        membership: {
          checks: [{ channel: news, state: 'error', reason: '403 Forbidden' }],
          cached: false,
        },
      }),
    );
    expect(step).toMatchObject({ kind: 'decided', outcome: 'approved' });
  });
});
