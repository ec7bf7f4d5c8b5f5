// Test support: a small world to run domain rules against — a supergroup owned by a
// person, with a bot, two members and an admin; plus helpers to set anyone's status.

import { defaultAdministratorRights } from './permissions.ts';
import { EmulatorState } from './store.ts';
import type { AdministratorRights } from './permissions.ts';
import type { ChatRecord, ChatType, MemberState } from './types.ts';

export const NOW = 1_700_000_000;

export function adminState(rights: Partial<AdministratorRights> = {}): MemberState {
  return { status: 'administrator', rights: { ...defaultAdministratorRights(), ...rights } };
}

export function buildWorld(type: ChatType = 'supergroup') {
  const state = new EmulatorState();
  const owner = state.addUser({ is_bot: false, first_name: 'Owner' });
  const alice = state.addUser({ is_bot: false, first_name: 'Alice', username: 'alice' });
  const bob = state.addUser({ is_bot: false, first_name: 'Bob' });
  const moderator = state.addUser({ is_bot: false, first_name: 'Mod' });
  const bot = state.addBot({ username: 'gate_bot', first_name: 'Gate' });
  const otherBot = state.addBot({ username: 'other_bot', first_name: 'Other' });
  const chat: ChatRecord = state.addChat({ type, title: 'Group' });
  chat.members.set(owner.id, { status: 'creator', isAnonymous: false });
  chat.members.set(alice.id, { status: 'member' });
  chat.members.set(bob.id, { status: 'member' });
  chat.members.set(moderator.id, adminState());
  chat.members.set(bot.user.id, adminState());
  const setMember = (userId: number, member: MemberState): void => {
    chat.members.set(userId, member);
  };
  return { state, chat, owner, alice, bob, moderator, bot, otherBot, setMember };
}
