// The group maintenance actions an admin asks for through the command queue: lift a ban,
// leave the group, and read the group's (and its linked channels') titles and counts.
// Like perform.ts, each returns what happened and never throws for a Telegram failure.
import type { SyncChat, UnbanMember } from '@nezuko/proto';
import type { TelegramClient } from '../telegram/client.ts';
import { classifyTelegramFailure, type TelegramFailure } from '../telegram/errors.ts';

export interface SyncedChannelCount {
  readonly channelId: string;
  readonly title: string;
  readonly subscriberCount: number;
  /** Telegram's description when this channel could not be read; '' when it could. */
  readonly error: string;
}

/** What a sync read from Telegram: the executor publishes it as group.synced. */
export interface ChatSnapshot {
  readonly title: string;
  readonly memberCount: number;
  readonly channels: readonly SyncedChannelCount[];
}

export type Maintained =
  | {
      readonly ok: true;
      readonly method: string;
      readonly note: string;
      readonly snapshot?: ChatSnapshot;
    }
  | { readonly ok: false; readonly method: string; readonly failure: TelegramFailure };

/** unbanChatMember with only_if_banned: a member who is in the group is not kicked out. */
export async function unbanMember(
  telegram: TelegramClient,
  chatId: number,
  unban: UnbanMember,
): Promise<Maintained> {
  return attempt('unbanChatMember', async () => {
    await telegram.call('unbanChatMember', {
      chat_id: chatId,
      user_id: Number(unban.userId),
      only_if_banned: true,
    });
    return { ok: true, method: 'unbanChatMember', note: '' };
  });
}

export async function leaveChat(telegram: TelegramClient, chatId: number): Promise<Maintained> {
  return attempt('leaveChat', async () => {
    await telegram.call('leaveChat', { chat_id: chatId });
    return { ok: true, method: 'leaveChat', note: '' };
  });
}

/**
 * The group's title and member count must be read for the sync to succeed; a linked
 * channel that cannot be read (the bot lost access there) is reported in its entry and
 * does not fail the whole sync, so the admin still sees the rest.
 */
export async function syncChat(
  telegram: TelegramClient,
  chatId: number,
  sync: SyncChat,
): Promise<Maintained> {
  let title = '';
  const read = await attempt('getChat', async () => {
    const chat = await telegram.call('getChat', { chat_id: chatId });
    title = 'title' in chat ? chat.title : '';
    return { ok: true, method: 'getChat', note: '' };
  });
  if (!read.ok) return read;
  let memberCount = 0;
  const counted = await attempt('getChatMemberCount', async () => {
    memberCount = await telegram.call('getChatMemberCount', { chat_id: chatId });
    return { ok: true, method: 'getChatMemberCount', note: '' };
  });
  if (!counted.ok) return counted;
  const channels: SyncedChannelCount[] = [];
  for (const channelId of sync.channelIds) {
    try {
      const chat = await telegram.call('getChat', { chat_id: Number(channelId) });
      const subscribers = await telegram.call('getChatMemberCount', { chat_id: Number(channelId) });
      channels.push({
        channelId,
        title: 'title' in chat ? chat.title : '',
        subscriberCount: subscribers,
        error: '',
      });
    } catch (error) {
      const failure = classifyTelegramFailure(error);
      // Only a refusal is the channel's own answer; anything transient retries the sync.
      if (failure.kind !== 'rejected') return { ok: false, method: 'getChatMemberCount', failure };
      channels.push({ channelId, title: '', subscriberCount: 0, error: failure.description });
    }
  }
  return {
    ok: true,
    method: 'getChat+getChatMemberCount',
    note: `${memberCount} members`,
    snapshot: { title, memberCount, channels },
  };
}

async function attempt(method: string, call: () => Promise<Maintained>): Promise<Maintained> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, method, failure: classifyTelegramFailure(error) };
  }
}
