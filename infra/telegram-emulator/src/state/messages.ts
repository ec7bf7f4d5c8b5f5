// Messages in a chat: appending with the chat's increasing message ids, finding them,
// and the entities Telegram detects in a user's text (bot commands).

import type {
  ChatRecord,
  InlineKeyboardButton,
  MessageEntity,
  MessageRecord,
  ReplyMarkup,
} from './types.ts';

const COMMAND = /(^|\s)(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)(?![A-Za-z0-9_@])/g;

/** bot_command entities, offsets and lengths in UTF-16 code units like Telegram's. */
export function commandEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const match of text.matchAll(COMMAND)) {
    const lead = match[1] ?? '';
    const command = match[2] ?? '';
    entities.push({
      offset: match.index + lead.length,
      length: command.length,
      type: 'bot_command',
    });
  }
  return entities;
}

export type NewMessage = Omit<MessageRecord, 'messageId' | 'chatId' | 'deleted'>;

export function appendMessage(chat: ChatRecord, fields: NewMessage): MessageRecord {
  const message: MessageRecord = {
    messageId: chat.nextMessageId++,
    chatId: chat.id,
    deleted: false,
    ...fields,
  };
  chat.messages.push(message);
  return message;
}

/** A message that still exists. */
export function findMessage(chat: ChatRecord, messageId: number): MessageRecord | undefined {
  return chat.messages.find((message) => message.messageId === messageId && !message.deleted);
}

/** The inline keyboard of a reply markup, empty for other markups. */
export function inlineKeyboardOf(markup: ReplyMarkup | undefined): InlineKeyboardButton[][] {
  if (markup === undefined || !Array.isArray(markup.inline_keyboard)) return [];
  return markup.inline_keyboard as InlineKeyboardButton[][];
}
