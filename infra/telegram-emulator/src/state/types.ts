// The emulator's domain records. These are the emulator's own shapes (camelCase where
// they differ from Telegram's); src/state/serialize.ts turns them into Bot API objects.

import type { AdministratorRights, ChatPermissions } from './permissions.ts';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface UserRecord {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface BotRecord {
  user: UserRecord;
  token: string;
  canJoinGroups: boolean;
  /** Privacy mode off: the bot sees every group message even when it is not an admin. */
  canReadAllGroupMessages: boolean;
  /** Keyed by scope JSON + language code, as setMyCommands stores them. */
  commands: Map<string, BotCommand[]>;
}

/** A member's state in one chat. A user with no record is 'left'. */
export type MemberState =
  | { status: 'creator'; isAnonymous: boolean; customTitle?: string }
  | {
      status: 'administrator';
      rights: AdministratorRights;
      /** The admin who promoted this one; a bot can edit the admins it promoted. */
      promotedBy?: number;
      customTitle?: string;
    }
  | { status: 'member' }
  | { status: 'restricted'; isMember: boolean; permissions: ChatPermissions; untilDate: number }
  | { status: 'left' }
  | { status: 'kicked'; untilDate: number };

export type MemberStatus = MemberState['status'];

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  [other: string]: unknown;
}

export type ReplyMarkup = { inline_keyboard: InlineKeyboardButton[][] } | Record<string, unknown>;

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  [other: string]: unknown;
}

/** What a service message announces. */
export type ServiceContent =
  | { kind: 'new_chat_members'; userIds: number[] }
  | { kind: 'left_chat_member'; userId: number }
  | { kind: 'migrate_to_chat_id'; chatId: number }
  | { kind: 'migrate_from_chat_id'; chatId: number };

export interface AutomaticForward {
  fromChatId: number;
  fromMessageId: number;
  date: number;
}

export interface MessageRecord {
  messageId: number;
  chatId: number;
  date: number;
  fromUserId?: number;
  senderChatId?: number;
  /** Set when a bot sent the message through the Bot API; callback queries go to it. */
  authorBotId?: number;
  text?: string;
  entities?: MessageEntity[];
  replyToMessageId?: number;
  replyMarkup?: ReplyMarkup;
  editDate?: number;
  service?: ServiceContent;
  automaticForward?: AutomaticForward;
  deleted: boolean;
  deletedAt?: number;
  deletedByBotId?: number;
}

export interface InviteLinkRecord {
  inviteLink: string;
  creatorId: number;
  createsJoinRequest: boolean;
  isPrimary: boolean;
  isRevoked: boolean;
  name?: string;
  expireDate?: number;
  memberLimit?: number;
}

export interface JoinRequestRecord {
  userId: number;
  date: number;
  inviteLink?: string;
}

export interface ChatRecord {
  /** The emulator's key: the id for groups and channels, `private:<botId>:<userId>` for private chats. */
  key: string;
  /** The id bots see. For private chats it is the user's id. */
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  description?: string;
  permissions: ChatPermissions;
  linkedChatId?: number;
  /** Private chats only: the two sides of the conversation. */
  privateOf?: { userId: number; botId: number };
  members: Map<number, MemberState>;
  messages: MessageRecord[];
  nextMessageId: number;
  inviteLinks: InviteLinkRecord[];
  joinRequests: Map<number, JoinRequestRecord>;
  migratedToChatId?: number;
  migratedFromChatId?: number;
}

export interface CallbackQueryRecord {
  id: string;
  botId: number;
  userId: number;
  chatId: number;
  chatKey: string;
  messageId: number;
  data: string;
  date: number;
  answer?: CallbackAnswer;
}

export interface CallbackAnswer {
  text?: string;
  show_alert: boolean;
  url?: string;
  cache_time?: number;
  answered_at: number;
}
