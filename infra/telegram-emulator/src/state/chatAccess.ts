// Whether a bot may see or act in a chat, as the Bot API server checks before any
// chat method: unknown chats, upgraded groups, kicked bots, and bots that are not
// members. Reading a public supergroup or channel needs no membership; acting does.

import { botApiErrors } from '../errors.ts';
import type { TelegramError } from '../errors.ts';
import { effectiveMember, isInChat } from './members.ts';
import type { EmulatorState } from './store.ts';
import type { ChatRecord, MemberState } from './types.ts';

/** read: getChat and the like; members: member lists; write: sending, moderating, editing. */
export type ChatAccess = 'read' | 'members' | 'write';

/** A chat_id as a bot passes it: a number or an @username. */
export type ChatRef = number | `@${string}`;

export function resolveChatRef(
  state: EmulatorState,
  botId: number,
  ref: ChatRef,
): ChatRecord | undefined {
  if (typeof ref === 'number')
    return ref > 0 ? state.privateChat(botId, ref) : state.sharedChat(ref);
  const chat = state.chatByUsername(ref);
  if (chat) return chat;
  const user = state.userByUsername(ref);
  return user === undefined ? undefined : state.privateChat(botId, user.id);
}

/** Whether the bot has ever had a relation with the chat (its server would know it). */
function knowsChat(chat: ChatRecord, botId: number): boolean {
  return chat.members.has(botId) || chat.username !== undefined;
}

/** Writing to a user who never opened the bot is forbidden rather than not found. */
function missingChatError(state: EmulatorState, ref: ChatRef, access: ChatAccess): TelegramError {
  const user = typeof ref === 'number' && ref > 0 ? state.users.get(ref) : undefined;
  if (user === undefined || access !== 'write') return botApiErrors.chatNotFound();
  return user.is_bot ? botApiErrors.cantMessageBots() : botApiErrors.cantInitiateConversation();
}

/** The chat if the bot may access it that way, else the Telegram error the Bot API answers. */
export function chatForBot(
  state: EmulatorState,
  botId: number,
  ref: ChatRef,
  access: ChatAccess,
  now: number,
): { chat: ChatRecord; self: MemberState } {
  const chat = resolveChatRef(state, botId, ref);
  if (chat === undefined) throw missingChatError(state, ref, access);
  const self = effectiveMember(chat.members.get(botId), now);
  switch (chat.type) {
    case 'private':
      return { chat, self: { status: 'member' } };
    case 'group': {
      if (!chat.members.has(botId)) throw botApiErrors.chatNotFound();
      const needsMembership = access !== 'read';
      if (chat.migratedToChatId !== undefined && needsMembership) {
        throw botApiErrors.groupUpgraded(chat.migratedToChatId);
      }
      if (self.status === 'kicked' && needsMembership) throw botApiErrors.botKicked('group');
      if (!isInChat(self) && needsMembership) throw botApiErrors.botNotMember('group');
      return { chat, self };
    }
    case 'supergroup':
    case 'channel': {
      if (!knowsChat(chat, botId)) throw botApiErrors.chatNotFound();
      if (self.status === 'kicked') throw botApiErrors.botKicked(chat.type);
      const isPublic = chat.username !== undefined;
      const needsMembership = isPublic ? access === 'write' : true;
      if (!isInChat(self) && needsMembership) throw botApiErrors.botNotMember(chat.type);
      return { chat, self };
    }
    default: {
      const unreachable: never = chat.type;
      return unreachable;
    }
  }
}
