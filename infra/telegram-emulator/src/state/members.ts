// Chat membership rules, pure: how a member's state evolves when restricted, banned,
// unbanned, joining or leaving, when time-limited states expire, and who may do what.
// Time arrives as Unix seconds.

import { coversPermissions } from './permissions.ts';
import type { ChatPermissions } from './permissions.ts';
import type { AdministratorRights } from './permissions.ts';
import type { MemberState } from './types.ts';

const LEFT: MemberState = { status: 'left' };

/** Restrictions and bans shorter than 30 s or longer than 366 days are forever (until_date 0). */
export function normalizeUntilDate(untilDate: number, now: number): number {
  if (untilDate <= 0) return 0;
  const remaining = untilDate - now;
  if (remaining < 30 || remaining > 366 * 24 * 60 * 60) return 0;
  return untilDate;
}

/** The state as of `now`: an expired restriction or ban no longer applies. */
export function effectiveMember(state: MemberState | undefined, now: number): MemberState {
  if (state === undefined) return LEFT;
  if (state.status === 'restricted' && state.untilDate > 0 && state.untilDate <= now) {
    return state.isMember ? { status: 'member' } : LEFT;
  }
  if (state.status === 'kicked' && state.untilDate > 0 && state.untilDate <= now) return LEFT;
  return state;
}

/** Present in the chat: sees it, is counted, receives its updates. */
export function isInChat(state: MemberState): boolean {
  switch (state.status) {
    case 'creator':
    case 'administrator':
    case 'member':
      return true;
    case 'restricted':
      return state.isMember;
    case 'left':
    case 'kicked':
      return false;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

export function isAdmin(state: MemberState): boolean {
  return state.status === 'creator' || state.status === 'administrator';
}

/** Whether the member holds an administrator right; the creator holds them all. */
export function hasRight(state: MemberState, right: keyof AdministratorRights): boolean {
  if (state.status === 'creator') return true;
  return state.status === 'administrator' && state.rights[right];
}

/** What the member may do as a participant: admins everything, restricted users their own set. */
export function canSend(state: MemberState, chatDefaults: ChatPermissions): boolean {
  switch (state.status) {
    case 'creator':
    case 'administrator':
      return true;
    case 'member':
      return chatDefaults.can_send_messages;
    case 'restricted':
      return (
        state.isMember && state.permissions.can_send_messages && chatDefaults.can_send_messages
      );
    case 'left':
    case 'kicked':
      return false;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

export type ModerationRefusal = 'not_enough_rights' | 'target_is_owner' | 'target_is_admin';

/**
 * Whether `actor` may restrict or ban `target` (both effective states): the actor needs
 * can_restrict_members, and owners and administrators are out of reach.
 */
export function moderationRefusal(
  actor: MemberState,
  target: MemberState,
): ModerationRefusal | undefined {
  if (!hasRight(actor, 'can_restrict_members')) return 'not_enough_rights';
  if (target.status === 'creator') return 'target_is_owner';
  if (target.status === 'administrator') return 'target_is_admin';
  return undefined;
}

/**
 * The member's state after restrictChatMember. Permissions that allow everything the
 * chat allows lift the restriction: the user is a plain member again (or simply left).
 */
export function restrict(
  current: MemberState,
  permissions: ChatPermissions,
  chatDefaults: ChatPermissions,
  untilDate: number,
  now: number,
): MemberState {
  const isMember = isInChat(current);
  if (coversPermissions(permissions, chatDefaults)) return isMember ? { status: 'member' } : LEFT;
  return {
    status: 'restricted',
    isMember,
    permissions,
    untilDate: normalizeUntilDate(untilDate, now),
  };
}

export function ban(untilDate: number, now: number): MemberState {
  return { status: 'kicked', untilDate: normalizeUntilDate(untilDate, now) };
}

/**
 * unbanChatMember: by default it guarantees the user is not in the chat but may join;
 * with onlyIfBanned it touches only a banned user. Returns undefined for "no change".
 */
export function unban(current: MemberState, onlyIfBanned: boolean): MemberState | undefined {
  if (current.status === 'kicked') return LEFT;
  if (onlyIfBanned) return undefined;
  if (current.status === 'left') return undefined;
  if (current.status === 'restricted' && !current.isMember) return undefined;
  return LEFT;
}

export type JoinRefusal = 'banned' | 'already_member';

/** A user joining keeps a restriction they still carry. */
export function join(current: MemberState): MemberState | JoinRefusal {
  switch (current.status) {
    case 'kicked':
      return 'banned';
    case 'left':
      return { status: 'member' };
    case 'restricted':
      return current.isMember ? 'already_member' : { ...current, isMember: true };
    case 'creator':
    case 'administrator':
    case 'member':
      return 'already_member';
    default: {
      const unreachable: never = current;
      return unreachable;
    }
  }
}

/** A user leaving keeps a restriction (it applies again if they come back). */
export function leave(current: MemberState): MemberState | undefined {
  if (!isInChat(current)) return undefined;
  if (current.status === 'restricted') return { ...current, isMember: false };
  return LEFT;
}

export function sameMemberState(a: MemberState, b: MemberState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
