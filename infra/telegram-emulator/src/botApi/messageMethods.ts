// Sending, editing and deleting messages, and answering callback queries.

import { botApiErrors } from '../errors.ts';
import {
  answerCallbackQuery,
  deleteMessage,
  editMessage,
  sendMessage,
} from '../state/messaging.ts';
import { messageJson } from '../state/serialize.ts';
import { answer } from './context.ts';
import {
  boolParam,
  chatIdParam,
  entitiesParam,
  intParam,
  isObject,
  jsonParam,
  messageIdParam,
  replyMarkupParam,
  stringParam,
} from './params.ts';
import type { MethodContext, MethodHandler } from './context.ts';

function replyTo(
  ctx: MethodContext,
): { messageId: number; allowSendingWithoutReply: boolean } | undefined {
  const parameters = jsonParam(
    ctx.params,
    'reply_parameters',
    botApiErrors.cantParseReplyParameters,
  );
  if (parameters !== undefined) {
    if (!isObject(parameters) || typeof parameters.message_id !== 'number') {
      throw botApiErrors.cantParseReplyParameters();
    }
    return {
      messageId: parameters.message_id,
      allowSendingWithoutReply: parameters.allow_sending_without_reply === true,
    };
  }
  const messageId = intParam(ctx.params, 'reply_to_message_id');
  if (messageId === undefined || messageId <= 0) return undefined;
  return {
    messageId,
    allowSendingWithoutReply: boolParam(ctx.params, 'allow_sending_without_reply'),
  };
}

function requiredText(ctx: MethodContext): string {
  const text = stringParam(ctx.params, 'text') ?? '';
  if (text.trim() === '') throw botApiErrors.messageTextEmpty();
  return text;
}

/** Edits address a chat message; inline messages (inline_message_id) are not emulated. */
function editTarget(ctx: MethodContext) {
  if (
    stringParam(ctx.params, 'chat_id') === undefined &&
    stringParam(ctx.params, 'inline_message_id')
  ) {
    throw botApiErrors.messageToEditNotFound();
  }
  return { chat: chatIdParam(ctx.params), messageId: messageIdParam(ctx.params) };
}

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage: (ctx) => {
    const chat = chatIdParam(ctx.params);
    const text = requiredText(ctx);
    const sent = sendMessage(
      ctx.state,
      ctx.bot.user.id,
      {
        chat,
        text,
        entities: entitiesParam(ctx.params),
        replyMarkup: replyMarkupParam(ctx.params),
        replyTo: replyTo(ctx),
      },
      ctx.now,
    );
    ctx.publish(sent.facts);
    return answer(messageJson(ctx.state, sent.chat, sent.message));
  },

  editMessageText: (ctx) => {
    const target = editTarget(ctx);
    const text = requiredText(ctx);
    const edited = editMessage(
      ctx.state,
      ctx.bot.user.id,
      {
        ...target,
        text,
        entities: entitiesParam(ctx.params),
        replyMarkup: replyMarkupParam(ctx.params),
      },
      ctx.now,
    );
    return answer(messageJson(ctx.state, edited.chat, edited.message));
  },

  editMessageReplyMarkup: (ctx) => {
    const target = editTarget(ctx);
    const edited = editMessage(
      ctx.state,
      ctx.bot.user.id,
      { ...target, replyMarkup: replyMarkupParam(ctx.params) },
      ctx.now,
    );
    return answer(messageJson(ctx.state, edited.chat, edited.message));
  },

  deleteMessage: (ctx) => {
    const chat = chatIdParam(ctx.params);
    deleteMessage(
      ctx.state,
      ctx.bot.user.id,
      { chat, messageId: messageIdParam(ctx.params) },
      ctx.now,
    );
    return answer(true);
  },

  answerCallbackQuery: (ctx) => {
    const queryId = stringParam(ctx.params, 'callback_query_id') ?? '';
    const text = stringParam(ctx.params, 'text');
    const url = stringParam(ctx.params, 'url');
    const cacheTime = intParam(ctx.params, 'cache_time');
    answerCallbackQuery(
      ctx.state,
      ctx.bot.user.id,
      queryId,
      {
        ...(text !== undefined ? { text } : {}),
        show_alert: boolParam(ctx.params, 'show_alert'),
        ...(url !== undefined ? { url } : {}),
        ...(cacheTime !== undefined ? { cache_time: cacheTime } : {}),
      },
      ctx.now,
    );
    return answer(true);
  },
};
