// `callback_query` updates -> facts: the verify button (`nz:v:<targetUserId>`) and the
// /settings keyboard (`nz:s:...`) on a group message; any other press only needs answering.
import { ButtonPressedSchema, create, VerifyPressedSchema } from '@nezuko/proto';
import type { TgCallbackQuery } from './schema.ts';
import {
  eventId,
  events,
  isGroup,
  telegramUser,
  type Translation,
  type UpdateContext,
} from './translation.ts';

const verifyData = /^nz:v:(\d{1,20})$/;
const settingsData = /^nz:s:[\w:-]{1,58}$/;

/** `receivedAt` dates the fact: a button press carries no date of its own. */
export function translateButtonPress(
  ctx: UpdateContext,
  query: TgCallbackQuery,
  receivedAt: Date,
): Translation {
  const { bot } = ctx;
  const match = verifyData.exec(query.data ?? '');
  const prompt = query.message;
  if (prompt && isGroup(prompt.chat) && settingsData.test(query.data ?? '')) {
    return events(ctx, 'callback_query', [
      {
        type: 'chat.button_pressed',
        id: eventId(ctx),
        occurredAt: receivedAt,
        event: create(ButtonPressedSchema, {
          botId: bot.botId,
          groupId: String(prompt.chat.id),
          user: telegramUser(query.from),
          callbackQueryId: query.id,
          messageId: String(prompt.message_id),
          data: query.data ?? '',
        }),
      },
    ]);
  }
  if (!match?.[1] || !prompt || !isGroup(prompt.chat)) {
    return {
      kind: 'answer_callback',
      updateId: ctx.updateId,
      updateKind: 'callback_query',
      callbackQueryId: query.id,
    };
  }
  return events(ctx, 'callback_query', [
    {
      type: 'chat.verify_pressed',
      id: eventId(ctx),
      occurredAt: receivedAt,
      event: create(VerifyPressedSchema, {
        botId: bot.botId,
        groupId: String(prompt.chat.id),
        user: telegramUser(query.from),
        callbackQueryId: query.id,
        promptMessageId: String(prompt.message_id),
        targetUserId: match[1],
      }),
    },
  ]);
}
