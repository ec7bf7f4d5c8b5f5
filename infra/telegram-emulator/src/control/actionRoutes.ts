// Control routes through which tests and the demo act as Telegram users would: join,
// ask to join, leave, write, press inline buttons; and upgrade a group.

import { unixSeconds } from '../clock.ts';
import {
  ActionRefused,
  migrateGroup,
  pressButton,
  userJoins,
  userLeaves,
  userSendsMessage,
} from '../state/userActions.ts';
import { chatFromParam, parseInput } from './http.ts';
import { callbackBody, joinBody, leaveBody, messageBody } from './schemas.ts';
import { chatView, messageView } from './views.ts';
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './http.ts';

type ChatParams = { Params: { chatId: string } };

export function registerActionRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { state } = deps;

  app.post<ChatParams>('/control/chats/:chatId/join', (request) => {
    const chat = chatFromParam(state, request.params.chatId);
    const body = parseInput(joinBody, request.body);
    const now = unixSeconds(deps.clock);
    const facts = userJoins(
      state,
      chat,
      {
        userId: body.user_id,
        via: body.via ?? 'service_message',
        inviteLink: body.invite_link,
        addedBy: body.added_by,
      },
      now,
    );
    deps.publish(facts);
    const requested = facts.some((fact) => fact.type === 'join_requested');
    return { ok: true, join_request: requested, chat: chatView(state, chat, now) };
  });

  app.post<ChatParams>('/control/chats/:chatId/leave', (request) => {
    const chat = chatFromParam(state, request.params.chatId);
    const body = parseInput(leaveBody, request.body);
    const now = unixSeconds(deps.clock);
    deps.publish(userLeaves(state, chat, body.user_id, now));
    return { ok: true, chat: chatView(state, chat, now) };
  });

  app.post<ChatParams>('/control/chats/:chatId/messages', (request, reply) => {
    const chat = chatFromParam(state, request.params.chatId);
    const body = parseInput(messageBody, request.body);
    const sent = userSendsMessage(
      state,
      chat,
      {
        userId: body.user_id,
        senderChatId: body.sender_chat_id,
        text: body.text,
        replyToMessageId: body.reply_to_message_id,
      },
      unixSeconds(deps.clock),
    );
    deps.publish(sent.facts);
    return reply.code(201).send(messageView(state, chat, sent.message));
  });

  app.get<ChatParams>('/control/chats/:chatId/messages', (request) => {
    const chat = chatFromParam(state, request.params.chatId);
    return chat.messages.map((message) => messageView(state, chat, message));
  });

  app.post<ChatParams>('/control/chats/:chatId/migrate', (request, reply) => {
    const group = chatFromParam(state, request.params.chatId);
    const now = unixSeconds(deps.clock);
    const { supergroup, facts } = migrateGroup(state, group, now);
    deps.publish(facts);
    return reply.code(201).send(chatView(state, supergroup, now));
  });

  app.post('/control/callback', (request, reply) => {
    const body = parseInput(callbackBody, request.body);
    const chat = chatFromParam(state, body.chat_id);
    const { queryId, facts } = pressButton(
      state,
      { userId: body.user_id, chat, messageId: body.message_id, data: body.data },
      unixSeconds(deps.clock),
    );
    deps.publish(facts);
    return reply.code(201).send({ callback_query_id: queryId });
  });

  app.get<{ Params: { id: string } }>('/control/callbacks/:id', (request) => {
    const query = state.callbackQueries.get(request.params.id);
    if (query === undefined)
      throw new ActionRefused(404, `callback query ${request.params.id} not found`);
    return {
      id: query.id,
      bot_id: query.botId,
      user_id: query.userId,
      chat_id: query.chatId,
      message_id: query.messageId,
      data: query.data,
      date: query.date,
      answered: query.answer !== undefined,
      ...(query.answer !== undefined ? { answer: query.answer } : {}),
    };
  });
}
