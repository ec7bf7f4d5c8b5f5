// What a bot's message calls do: sendMessage, editMessageText/ReplyMarkup, deleteMessage
// and answerCallbackQuery, with Telegram's rights checks; and channel posts being
// forwarded automatically into the channel's linked discussion group.

import { isDeepStrictEqual } from 'node:util';
import { botApiErrors } from '../errors.ts';
import { chatForBot } from './chatAccess.ts';
import { appendMessage, findMessage } from './messages.ts';
import { canSend, hasRight, isAdmin } from './members.ts';
import { SERVICE_USERS } from './store.ts';
import type { ChatRef } from './chatAccess.ts';
import type { Fact } from './facts.ts';
import type { EmulatorState } from './store.ts';
import type {
  CallbackAnswer,
  ChatRecord,
  MessageEntity,
  MessageRecord,
  ReplyMarkup,
} from './types.ts';

const MAX_TEXT_LENGTH = 4096;
const DELETE_WINDOW_SECONDS = 48 * 60 * 60;

export interface SentMessage {
  chat: ChatRecord;
  message: MessageRecord;
  facts: Fact[];
}

/** A channel post also appears in the linked discussion group, sent by Telegram (777000). */
export function forwardToDiscussionGroup(
  state: EmulatorState,
  channel: ChatRecord,
  post: MessageRecord,
  now: number,
): Fact[] {
  if (channel.type !== 'channel' || channel.linkedChatId === undefined) return [];
  const group = state.sharedChat(channel.linkedChatId);
  if (group === undefined) return [];
  const copy = appendMessage(group, {
    date: now,
    fromUserId: SERVICE_USERS.telegram.id,
    senderChatId: channel.id,
    text: post.text,
    entities: post.entities,
    automaticForward: { fromChatId: channel.id, fromMessageId: post.messageId, date: post.date },
  });
  return [{ type: 'message_sent', chatKey: group.key, messageId: copy.messageId }];
}

export interface SendRequest {
  chat: ChatRef;
  text: string;
  entities?: MessageEntity[];
  replyMarkup?: ReplyMarkup;
  replyTo?: { messageId: number; allowSendingWithoutReply: boolean };
}

export function sendMessage(
  state: EmulatorState,
  botId: number,
  request: SendRequest,
  now: number,
): SentMessage {
  const { chat, self } = chatForBot(state, botId, request.chat, 'write', now);
  if (request.text.length > MAX_TEXT_LENGTH) throw botApiErrors.messageTooLong();
  if (chat.type === 'channel' && !hasRight(self, 'can_post_messages'))
    throw botApiErrors.needAdminRightsInChannel();
  if ((chat.type === 'group' || chat.type === 'supergroup') && !canSend(self, chat.permissions)) {
    throw botApiErrors.notEnoughRightsToSendText();
  }
  let replyToMessageId: number | undefined;
  if (request.replyTo) {
    if (findMessage(chat, request.replyTo.messageId)) replyToMessageId = request.replyTo.messageId;
    else if (!request.replyTo.allowSendingWithoutReply) throw botApiErrors.replyMessageNotFound();
  }
  const message = appendMessage(chat, {
    date: now,
    ...(chat.type === 'channel' ? { senderChatId: chat.id } : { fromUserId: botId }),
    authorBotId: botId,
    text: request.text,
    entities: request.entities,
    replyToMessageId,
    replyMarkup: request.replyMarkup,
  });
  const facts: Fact[] = [{ type: 'message_sent', chatKey: chat.key, messageId: message.messageId }];
  facts.push(...forwardToDiscussionGroup(state, chat, message, now));
  return { chat, message, facts };
}

export interface EditRequest {
  chat: ChatRef;
  messageId: number;
  /** Absent when only the reply markup changes. */
  text?: string;
  entities?: MessageEntity[];
  /** Absent removes the inline keyboard, as in Telegram. */
  replyMarkup?: ReplyMarkup;
}

export function editMessage(
  state: EmulatorState,
  botId: number,
  request: EditRequest,
  now: number,
): { chat: ChatRecord; message: MessageRecord } {
  const { chat } = chatForBot(state, botId, request.chat, 'write', now);
  const message = findMessage(chat, request.messageId);
  if (message === undefined) throw botApiErrors.messageToEditNotFound();
  if (message.authorBotId !== botId || message.service !== undefined)
    throw botApiErrors.messageCantBeEdited();
  if (request.text !== undefined && request.text.length > MAX_TEXT_LENGTH)
    throw botApiErrors.messageTooLong();
  const text = request.text ?? message.text;
  const entities = request.text === undefined ? message.entities : request.entities;
  const unchanged =
    text === message.text &&
    isDeepStrictEqual(entities ?? [], message.entities ?? []) &&
    isDeepStrictEqual(request.replyMarkup, message.replyMarkup);
  if (unchanged) throw botApiErrors.messageNotModified();
  message.text = text;
  message.entities = entities;
  message.replyMarkup = request.replyMarkup;
  message.editDate = now;
  return { chat, message };
}

export function deleteMessage(
  state: EmulatorState,
  botId: number,
  request: { chat: ChatRef; messageId: number },
  now: number,
): void {
  const { chat, self } = chatForBot(state, botId, request.chat, 'write', now);
  const message = findMessage(chat, request.messageId);
  if (message === undefined) throw botApiErrors.messageToDeleteNotFound();
  const own = message.authorBotId === botId;
  const mayDeleteOthers =
    chat.type === 'private' ||
    (chat.type === 'group' && isAdmin(self)) ||
    ((chat.type === 'supergroup' || chat.type === 'channel') &&
      hasRight(self, 'can_delete_messages'));
  const tooOld = chat.type !== 'private' && now - message.date >= DELETE_WINDOW_SECONDS;
  if ((!own && !mayDeleteOthers) || tooOld) throw botApiErrors.messageCantBeDeleted();
  message.deleted = true;
  message.deletedAt = now;
  message.deletedByBotId = botId;
}

export function answerCallbackQuery(
  state: EmulatorState,
  botId: number,
  queryId: string,
  answer: Omit<CallbackAnswer, 'answered_at'>,
  now: number,
): void {
  const query = state.callbackQueries.get(queryId);
  if (query === undefined || query.botId !== botId || query.answer !== undefined) {
    throw botApiErrors.queryIdInvalid();
  }
  query.answer = { ...answer, answered_at: now };
}
