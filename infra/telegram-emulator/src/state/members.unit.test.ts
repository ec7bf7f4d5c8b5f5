import { describe, expect, it } from 'vitest';
import {
  ban,
  canSend,
  effectiveMember,
  join,
  leave,
  moderationRefusal,
  normalizeUntilDate,
  restrict,
  unban,
} from './members.ts';
import {
  defaultAdministratorRights,
  defaultChatPermissions,
  noAdministratorRights,
  noPermissions,
} from './permissions.ts';
import type { MemberState } from './types.ts';

const NOW = 1_700_000_000;
const muted = (): ReturnType<typeof noPermissions> => noPermissions();
const admin = (rights = defaultAdministratorRights()): MemberState => ({
  status: 'administrator',
  rights,
});

describe('restrict', () => {
  it('makes a member restricted with the given permissions and keeps them a member', () => {
    const after = restrict({ status: 'member' }, muted(), defaultChatPermissions(), 0, NOW);
    expect(after).toEqual({
      status: 'restricted',
      isMember: true,
      permissions: muted(),
      untilDate: 0,
    });
  });

  it('lifts the restriction when the permissions equal the chat defaults', () => {
    const restricted = restrict({ status: 'member' }, muted(), defaultChatPermissions(), 0, NOW);
    expect(
      restrict(restricted, defaultChatPermissions(), defaultChatPermissions(), 0, NOW),
    ).toEqual({
      status: 'member',
    });
  });

  it('lifts the restriction when the permissions are wider than the chat defaults', () => {
    const narrowDefaults = { ...muted(), can_send_messages: true };
    const wide = { ...defaultChatPermissions(), can_pin_messages: true };
    const restricted: MemberState = {
      status: 'restricted',
      isMember: true,
      permissions: muted(),
      untilDate: 0,
    };
    expect(restrict(restricted, wide, narrowDefaults, 0, NOW)).toEqual({ status: 'member' });
  });

  it('keeps a restriction that is narrower than the defaults in any single right', () => {
    const almost = { ...defaultChatPermissions(), can_send_polls: false };
    expect(restrict({ status: 'member' }, almost, defaultChatPermissions(), 0, NOW).status).toBe(
      'restricted',
    );
  });

  it('restricts a user who is not in the chat without making them a member', () => {
    expect(restrict({ status: 'left' }, muted(), defaultChatPermissions(), 0, NOW)).toMatchObject({
      status: 'restricted',
      isMember: false,
    });
    expect(
      restrict({ status: 'left' }, defaultChatPermissions(), defaultChatPermissions(), 0, NOW),
    ).toEqual({
      status: 'left',
    });
  });

  it('treats until dates under 30 seconds or over 366 days away as forever', () => {
    expect(normalizeUntilDate(NOW + 29, NOW)).toBe(0);
    expect(normalizeUntilDate(NOW + 3600, NOW)).toBe(NOW + 3600);
    expect(normalizeUntilDate(NOW + 367 * 86400, NOW)).toBe(0);
    expect(
      restrict({ status: 'member' }, muted(), defaultChatPermissions(), NOW + 60, NOW),
    ).toMatchObject({
      untilDate: NOW + 60,
    });
  });
});

describe('expiry', () => {
  it('ends a timed restriction at its until date', () => {
    const restricted: MemberState = {
      status: 'restricted',
      isMember: true,
      permissions: muted(),
      untilDate: NOW + 60,
    };
    expect(effectiveMember(restricted, NOW + 59).status).toBe('restricted');
    expect(effectiveMember(restricted, NOW + 60)).toEqual({ status: 'member' });
    expect(effectiveMember({ ...restricted, isMember: false }, NOW + 60)).toEqual({
      status: 'left',
    });
  });

  it('ends a timed ban, and never ends a permanent one', () => {
    expect(effectiveMember(ban(NOW + 120, NOW), NOW + 120)).toEqual({ status: 'left' });
    expect(effectiveMember(ban(0, NOW), NOW + 10 ** 8).status).toBe('kicked');
  });

  it('treats an unknown member as left', () => {
    expect(effectiveMember(undefined, NOW)).toEqual({ status: 'left' });
  });
});

describe('status transitions', () => {
  it('unban removes a member from the chat unless only_if_banned', () => {
    expect(unban({ status: 'member' }, false)).toEqual({ status: 'left' });
    expect(unban({ status: 'member' }, true)).toBeUndefined();
    expect(unban({ status: 'kicked', untilDate: 0 }, true)).toEqual({ status: 'left' });
    expect(unban({ status: 'left' }, false)).toBeUndefined();
  });

  it('join keeps a restriction the user still carries, and refuses the banned', () => {
    const restricted: MemberState = {
      status: 'restricted',
      isMember: false,
      permissions: muted(),
      untilDate: 0,
    };
    expect(join(restricted)).toEqual({ ...restricted, isMember: true });
    expect(join({ status: 'left' })).toEqual({ status: 'member' });
    expect(join({ status: 'kicked', untilDate: 0 })).toBe('banned');
    expect(join({ status: 'member' })).toBe('already_member');
  });

  it('leave keeps a restriction for when the user comes back', () => {
    const restricted: MemberState = {
      status: 'restricted',
      isMember: true,
      permissions: muted(),
      untilDate: 0,
    };
    expect(leave(restricted)).toEqual({ ...restricted, isMember: false });
    expect(leave(admin())).toEqual({ status: 'left' });
    expect(leave({ status: 'left' })).toBeUndefined();
  });
});

describe('permission checks', () => {
  it('needs can_restrict_members to moderate', () => {
    const noRestrict = admin({ ...defaultAdministratorRights(), can_restrict_members: false });
    expect(moderationRefusal(noRestrict, { status: 'member' })).toBe('not_enough_rights');
    expect(moderationRefusal({ status: 'member' }, { status: 'member' })).toBe('not_enough_rights');
    expect(moderationRefusal(admin(), { status: 'member' })).toBeUndefined();
    expect(
      moderationRefusal({ status: 'creator', isAnonymous: false }, { status: 'member' }),
    ).toBeUndefined();
  });

  it('never lets anyone restrict the owner or an administrator', () => {
    expect(moderationRefusal(admin(), { status: 'creator', isAnonymous: false })).toBe(
      'target_is_owner',
    );
    expect(moderationRefusal(admin(), admin(noAdministratorRights()))).toBe('target_is_admin');
  });

  it('lets restricted users send only what they were allowed', () => {
    const defaults = defaultChatPermissions();
    const muteState: MemberState = {
      status: 'restricted',
      isMember: true,
      permissions: muted(),
      untilDate: 0,
    };
    expect(canSend(muteState, defaults)).toBe(false);
    expect(canSend({ status: 'member' }, defaults)).toBe(true);
    expect(canSend({ status: 'member' }, { ...defaults, can_send_messages: false })).toBe(false);
    expect(canSend(admin(), { ...defaults, can_send_messages: false })).toBe(true);
  });
});
