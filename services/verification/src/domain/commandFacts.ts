// What an admin command is decided from and what it concludes: the facts it asks for one
// at a time, the steps, and the helpers every command shares. Pure data.
import type { TelegramAction, TelegramUser } from '@nezuko/proto';
import type { AdminCheck } from './facts.ts';
import type { GroupConfig, GroupEvent, LinkedChannel } from './groups.ts';
import type { Catalogue } from './texts.ts';

export type ChannelLookup =
  | { readonly kind: 'found'; readonly type: string; readonly channel: LinkedChannel }
  | { readonly kind: 'not_found'; readonly reason: string };

/** What the bot may do in a chat (getChatMember on itself). */
export type RightsLookup =
  | {
      readonly kind: 'ok';
      readonly status: string;
      readonly canRestrict: boolean;
      readonly canDelete: boolean;
      readonly canInvite: boolean;
    }
  | { readonly kind: 'error'; readonly reason: string };

export type InviteLookup =
  | { readonly kind: 'ok'; readonly inviteLink: string }
  | { readonly kind: 'error'; readonly reason: string };

export interface TodayCounts {
  readonly verified: number;
  readonly restricted: number;
  readonly exempt: number;
  readonly error: number;
}

export interface CommandFacts {
  readonly eventId: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly botId: string;
  /** The group, or the user's private chat (a positive id) for /start and /help. */
  readonly groupId: string;
  readonly groupTitle: string;
  readonly group: GroupConfig | undefined;
  readonly user: TelegramUser;
  readonly senderChatId: string;
  readonly messageId: string;
  readonly sender?: AdminCheck;
  readonly botRights?: RightsLookup;
  /** By query (`@name` or id). */
  readonly channels?: ReadonlyMap<string, ChannelLookup>;
  /** The bot's rights in each channel, by channel id. */
  readonly channelRights?: ReadonlyMap<string, RightsLookup>;
  /** Links the bot created for private channels, by channel id. */
  readonly inviteLinks?: ReadonlyMap<string, InviteLookup>;
  /** Members Nezuko muted in the group. */
  readonly muted?: readonly string[];
  readonly counts?: TodayCounts;
}

export type CommandLookup =
  | { readonly kind: 'sender' }
  | { readonly kind: 'bot_rights' }
  | { readonly kind: 'channels'; readonly queries: readonly string[] }
  | { readonly kind: 'channel_rights'; readonly channelIds: readonly string[] }
  | { readonly kind: 'invite_links'; readonly channelIds: readonly string[] }
  | { readonly kind: 'muted' }
  | { readonly kind: 'counts' };

export interface GroupEventToAppend {
  /** Suffix of the derived event id: `<eventId>:<what>`. */
  readonly what: string;
  readonly event: GroupEvent;
}

export type CommandStep =
  | { readonly kind: 'lookup'; readonly lookup: CommandLookup }
  | { readonly kind: 'ignore'; readonly reason: string }
  | {
      readonly kind: 'decided';
      readonly events: readonly GroupEventToAppend[];
      readonly actions: readonly TelegramAction[];
      /** Nezuko's mutes in the group are all lifted: forget them. */
      readonly unmutedAll?: boolean;
    };

/** Answers the command's message with a text and nothing else. */
export type Reply = (text: string) => CommandStep;

export function isAdminStatus(status: string): boolean {
  return status === 'creator' || status === 'administrator';
}

export function actor(facts: CommandFacts) {
  return { who: { case: 'telegramUserId' as const, value: facts.user.id } };
}

export function groupName(facts: CommandFacts, texts: Catalogue): string {
  return facts.groupTitle !== '' ? facts.groupTitle : facts.group?.title || texts.thisGroup;
}
