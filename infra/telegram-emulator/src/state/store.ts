// The emulator's in-memory world: users, bots, chats (with members, messages, invite
// links, join requests) and callback queries, plus the id sequences. Lookups live here;
// the rules that change the world live in the modules beside it.

import { randomBytes } from 'node:crypto';
import { defaultChatPermissions } from './permissions.ts';
import type { ChatPermissions } from './permissions.ts';
import type { BotRecord, CallbackQueryRecord, ChatRecord, ChatType, UserRecord } from './types.ts';

/** Accounts every Telegram client knows: the service notifications account and the stand-ins for anonymous senders. */
export const SERVICE_USERS = {
  telegram: { id: 777000, is_bot: false, first_name: 'Telegram' },
  groupAnonymousBot: {
    id: 1087968824,
    is_bot: true,
    first_name: 'Group',
    username: 'GroupAnonymousBot',
  },
  channelBot: { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' },
} as const satisfies Record<string, UserRecord>;

const FIRST_USER_ID = 1_000_001;
const FIRST_BOT_ID = 7_000_000_001;
const FIRST_GROUP_ID = 4_000_000_001;
const FIRST_SUPERGROUP_ID = 1_002_000_000_001;

export function privateChatKey(botId: number, userId: number): string {
  return `private:${botId}:${userId}`;
}

export interface NewChat {
  type: ChatType;
  id?: number;
  title?: string;
  username?: string;
  description?: string;
  permissions?: ChatPermissions;
  privateOf?: { userId: number; botId: number };
}

export class EmulatorState {
  readonly users = new Map<number, UserRecord>();
  readonly bots = new Map<number, BotRecord>();
  readonly chats = new Map<string, ChatRecord>();
  readonly callbackQueries = new Map<string, CallbackQueryRecord>();
  private nextUserId = FIRST_USER_ID;
  private nextBotId = FIRST_BOT_ID;
  private nextGroupId = FIRST_GROUP_ID;
  private nextSupergroupId = FIRST_SUPERGROUP_ID;
  private nextCallbackSeq = 1;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.users.clear();
    this.bots.clear();
    this.chats.clear();
    this.callbackQueries.clear();
    this.nextUserId = FIRST_USER_ID;
    this.nextBotId = FIRST_BOT_ID;
    this.nextGroupId = FIRST_GROUP_ID;
    this.nextSupergroupId = FIRST_SUPERGROUP_ID;
    this.nextCallbackSeq = 1;
    for (const user of Object.values(SERVICE_USERS)) this.users.set(user.id, { ...user });
  }

  addUser(fields: Omit<UserRecord, 'id'> & { id?: number }): UserRecord {
    const id = fields.id ?? this.allocate('user');
    if (this.users.has(id)) throw new Error(`user ${id} already exists`);
    const user: UserRecord = { ...fields, id };
    this.users.set(id, user);
    return user;
  }

  addBot(fields: {
    id?: number;
    secret?: string;
    username: string;
    first_name: string;
    canJoinGroups?: boolean;
    canReadAllGroupMessages?: boolean;
  }): BotRecord {
    const id = fields.id ?? this.allocate('bot');
    const user = this.addUser({
      id,
      is_bot: true,
      first_name: fields.first_name,
      username: fields.username,
    });
    const secret = fields.secret ?? randomBytes(27).toString('base64url').slice(0, 35);
    const bot: BotRecord = {
      user,
      token: `${id}:${secret}`,
      canJoinGroups: fields.canJoinGroups ?? true,
      canReadAllGroupMessages: fields.canReadAllGroupMessages ?? false,
      commands: new Map(),
    };
    this.bots.set(id, bot);
    return bot;
  }

  botByToken(token: string): BotRecord | undefined {
    const id = Number(token.slice(0, token.indexOf(':')));
    const bot = this.bots.get(id);
    return bot !== undefined && bot.token === token ? bot : undefined;
  }

  addChat(fields: NewChat): ChatRecord {
    const id = fields.id ?? this.allocateChatId(fields.type, fields.privateOf?.userId);
    const key = fields.privateOf
      ? privateChatKey(fields.privateOf.botId, fields.privateOf.userId)
      : String(id);
    if (this.chats.has(key)) throw new Error(`chat ${key} already exists`);
    if (fields.username !== undefined && this.chatByUsername(fields.username) !== undefined) {
      throw new Error(`username @${fields.username} is taken`);
    }
    const chat: ChatRecord = {
      key,
      id,
      type: fields.type,
      title: fields.title,
      username: fields.username,
      description: fields.description,
      permissions: fields.permissions ?? defaultChatPermissions(),
      privateOf: fields.privateOf,
      members: new Map(),
      messages: [],
      nextMessageId: 1,
      inviteLinks: [],
      joinRequests: new Map(),
    };
    this.chats.set(key, chat);
    return chat;
  }

  /** A group, supergroup or channel by the id bots use. */
  sharedChat(id: number): ChatRecord | undefined {
    return this.chats.get(String(id));
  }

  privateChat(botId: number, userId: number): ChatRecord | undefined {
    return this.chats.get(privateChatKey(botId, userId));
  }

  chatByUsername(username: string): ChatRecord | undefined {
    const wanted = username.replace(/^@/, '').toLowerCase();
    for (const chat of this.chats.values()) {
      if (chat.privateOf === undefined && chat.username?.toLowerCase() === wanted) return chat;
    }
    return undefined;
  }

  userByUsername(username: string): UserRecord | undefined {
    const wanted = username.replace(/^@/, '').toLowerCase();
    for (const user of this.users.values())
      if (user.username?.toLowerCase() === wanted) return user;
    return undefined;
  }

  nextCallbackQueryId(botId: number): string {
    const seq = this.nextCallbackSeq++;
    return (BigInt(botId) * 1_000_000n + BigInt(seq)).toString();
  }

  private allocate(kind: 'user' | 'bot'): number {
    if (kind === 'bot') {
      while (this.users.has(this.nextBotId)) this.nextBotId++;
      return this.nextBotId++;
    }
    while (this.users.has(this.nextUserId)) this.nextUserId++;
    return this.nextUserId++;
  }

  private allocateChatId(type: ChatType, privateUserId: number | undefined): number {
    switch (type) {
      case 'private':
        if (privateUserId === undefined) throw new Error('a private chat needs its user');
        return privateUserId;
      case 'group':
        while (this.chats.has(String(-this.nextGroupId))) this.nextGroupId++;
        return -this.nextGroupId++;
      case 'supergroup':
      case 'channel':
        while (this.chats.has(String(-this.nextSupergroupId))) this.nextSupergroupId++;
        return -this.nextSupergroupId++;
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  }
}
