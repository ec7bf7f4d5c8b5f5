// Control routes that build the world: bots, users, chats, and members' statuses.

import {
  ADMIN_RIGHT_KEYS,
  defaultAdministratorRights,
  defaultChatPermissions,
  noAdministratorRights,
  noPermissions,
  PERMISSION_KEYS,
} from '../state/permissions.ts';
import { effectiveMember } from '../state/members.ts';
import { chatMemberJson, userJson } from '../state/serialize.ts';
import { ActionRefused, openPrivateChat, setMemberStatus } from '../state/userActions.ts';
import { ControlInputError, chatFromParam, parseInput, requireNumber } from './http.ts';
import {
  createBotBody,
  createChatBody,
  createUserBody,
  memberBody,
  updateChatBody,
} from './schemas.ts';
import { botView, chatSummary, chatView } from './views.ts';
import { unixSeconds } from '../clock.ts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AdministratorRights, ChatPermissions } from '../state/permissions.ts';
import type { ChatRecord, MemberState } from '../state/types.ts';
import type { EmulatorState } from '../state/store.ts';
import type { ControlDeps } from './http.ts';

type ChatParams = { Params: { chatId: string } };

function permissionsFrom(
  flags: Record<string, boolean>,
  base: ChatPermissions,
  field: string,
): ChatPermissions {
  const permissions = { ...base };
  for (const [key, value] of Object.entries(flags)) {
    if (!(PERMISSION_KEYS as readonly string[]).includes(key)) {
      throw new ControlInputError(`unknown permission ${key}`, `${field}.${key}`);
    }
    permissions[key as keyof ChatPermissions] = value;
  }
  return permissions;
}

/** Rights given in `rights` or flattened into the body; none given means the app's defaults. */
function rightsFrom(body: z.infer<typeof memberBody>): AdministratorRights {
  const given: Record<string, boolean> = { ...body.rights };
  for (const key of ADMIN_RIGHT_KEYS) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === 'boolean') given[key] = value;
  }
  if (Object.keys(given).length === 0) return defaultAdministratorRights();
  const rights = { ...noAdministratorRights(), can_manage_chat: true };
  for (const [key, value] of Object.entries(given)) {
    if (!(ADMIN_RIGHT_KEYS as readonly string[]).includes(key)) {
      throw new ControlInputError(`unknown administrator right ${key}`, `rights.${key}`);
    }
    rights[key as keyof AdministratorRights] = value;
  }
  return rights;
}

function desiredMember(body: z.infer<typeof memberBody>): MemberState {
  switch (body.status) {
    case 'creator':
      return {
        status: 'creator',
        isAnonymous: body.is_anonymous ?? false,
        customTitle: body.custom_title,
      };
    case 'administrator':
      return {
        status: 'administrator',
        rights: { ...rightsFrom(body), is_anonymous: body.is_anonymous ?? false },
        promotedBy: body.promoted_by,
        customTitle: body.custom_title,
      };
    case 'member':
      return { status: 'member' };
    case 'restricted':
      return {
        status: 'restricted',
        isMember: body.is_member ?? true,
        permissions: permissionsFrom(body.permissions ?? {}, noPermissions(), 'permissions'),
        untilDate: body.until_date ?? 0,
      };
    case 'left':
      return { status: 'left' };
    case 'kicked':
      return { status: 'kicked', untilDate: body.until_date ?? 0 };
    default: {
      const unreachable: never = body.status;
      return unreachable;
    }
  }
}

function creatorOf(chat: ChatRecord): number | undefined {
  return [...chat.members].find(([, member]) => member.status === 'creator')?.[0];
}

/** A channel and its discussion supergroup point at each other. */
function link(state: EmulatorState, chat: ChatRecord, linkedChatId: number | null): void {
  const previous =
    chat.linkedChatId === undefined ? undefined : state.sharedChat(chat.linkedChatId);
  if (previous) previous.linkedChatId = undefined;
  chat.linkedChatId = undefined;
  if (linkedChatId === null) return;
  const other = state.sharedChat(linkedChatId);
  const pair = new Set([chat.type, other?.type]);
  if (other === undefined || !(pair.has('channel') && pair.has('supergroup'))) {
    throw new ControlInputError(
      'linked_chat_id must link a channel with a supergroup',
      'linked_chat_id',
    );
  }
  chat.linkedChatId = other.id;
  other.linkedChatId = chat.id;
}

export function registerWorldRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { state } = deps;

  app.post('/control/bots', (request, reply) => {
    const body = parseInput(createBotBody, request.body);
    const [tokenId, secret] = body.token === undefined ? [] : body.token.split(':');
    const id = tokenId === undefined ? body.id : Number(tokenId);
    if (body.id !== undefined && id !== body.id)
      throw new ControlInputError('id does not match the token', 'id');
    if (id !== undefined && state.users.has(id))
      throw new ActionRefused(409, `user ${id} already exists`);
    if (state.userByUsername(body.username))
      throw new ActionRefused(409, `@${body.username} is taken`);
    const bot = state.addBot({
      id,
      secret,
      username: body.username,
      first_name: body.first_name,
      canJoinGroups: body.can_join_groups,
      canReadAllGroupMessages: body.can_read_all_group_messages,
    });
    return reply.code(201).send(botView(bot));
  });

  app.get('/control/bots', () => [...state.bots.values()].map(botView));

  app.post('/control/users', (request, reply) => {
    const body = parseInput(createUserBody, request.body);
    if (body.id !== undefined && state.users.has(body.id))
      throw new ActionRefused(409, `user ${body.id} already exists`);
    if (body.username !== undefined && state.userByUsername(body.username)) {
      throw new ActionRefused(409, `@${body.username} is taken`);
    }
    const user = state.addUser({ ...body, is_bot: body.is_bot ?? false });
    return reply.code(201).send(userJson(user));
  });

  app.get('/control/users', () => [...state.users.values()].map(userJson));

  app.post('/control/chats', (request, reply) => {
    const body = parseInput(createChatBody, request.body);
    const now = unixSeconds(deps.clock);
    if (body.type === 'private') {
      if (body.user_id === undefined || body.bot_id === undefined) {
        throw new ControlInputError(
          'a private chat needs user_id and bot_id',
          body.user_id === undefined ? 'user_id' : 'bot_id',
        );
      }
      return reply
        .code(201)
        .send(chatView(state, openPrivateChat(state, body.bot_id, body.user_id), now));
    }
    if (body.title === undefined) throw new ControlInputError('title is required', 'title');
    if (body.id !== undefined && state.sharedChat(body.id))
      throw new ActionRefused(409, `chat ${body.id} already exists`);
    if (body.username !== undefined && state.chatByUsername(body.username)) {
      throw new ActionRefused(409, `@${body.username} is taken`);
    }
    if (body.creator_id !== undefined && !state.users.has(body.creator_id)) {
      throw new ActionRefused(404, `user ${body.creator_id} not found`);
    }
    const chat = state.addChat({
      type: body.type,
      id: body.id,
      title: body.title,
      username: body.username,
      description: body.description,
      permissions: permissionsFrom(body.permissions ?? {}, defaultChatPermissions(), 'permissions'),
    });
    if (body.linked_chat_id !== undefined) link(state, chat, body.linked_chat_id);
    if (body.creator_id !== undefined)
      chat.members.set(body.creator_id, { status: 'creator', isAnonymous: false });
    return reply.code(201).send(chatView(state, chat, now));
  });

  app.get('/control/chats', () => [...state.chats.values()].map(chatSummary));

  app.get<ChatParams>('/control/chats/:chatId', (request) =>
    chatView(state, chatFromParam(state, request.params.chatId), unixSeconds(deps.clock)),
  );

  app.patch<ChatParams>('/control/chats/:chatId', (request) => {
    const chat = chatFromParam(state, request.params.chatId);
    const body = parseInput(updateChatBody, request.body);
    if (chat.type === 'private')
      throw new ActionRefused(400, 'private chats have nothing to change');
    if (body.username !== undefined && body.username !== null) {
      const holder = state.chatByUsername(body.username);
      if (holder && holder !== chat) throw new ActionRefused(409, `@${body.username} is taken`);
    }
    if (body.title !== undefined) chat.title = body.title;
    if (body.username !== undefined) chat.username = body.username ?? undefined;
    if (body.description !== undefined) chat.description = body.description;
    if (body.permissions !== undefined)
      chat.permissions = permissionsFrom(body.permissions, chat.permissions, 'permissions');
    if (body.linked_chat_id !== undefined) link(state, chat, body.linked_chat_id);
    return chatView(state, chat, unixSeconds(deps.clock));
  });

  app.put<{ Params: { chatId: string; userId: string } }>(
    '/control/chats/:chatId/members/:userId',
    (request) => {
      const chat = chatFromParam(state, request.params.chatId);
      const userId = requireNumber(request.params.userId, 'userId');
      const body = parseInput(memberBody, request.body);
      const desired = desiredMember(body);
      const actorId = body.actor_id ?? creatorOf(chat) ?? userId;
      const now = unixSeconds(deps.clock);
      deps.publish(setMemberStatus(state, chat, userId, desired, actorId, now));
      const user = state.users.get(userId);
      if (user === undefined) throw new ActionRefused(404, `user ${userId} not found`);
      return chatMemberJson(user, effectiveMember(chat.members.get(userId), now), chat.type, 0);
    },
  );
}
