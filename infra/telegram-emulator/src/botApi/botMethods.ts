// Methods about the bot itself: getMe and its command lists.

import { botApiErrors } from '../errors.ts';
import { userJson } from '../state/serialize.ts';
import { answer } from './context.ts';
import { isObject, jsonParam, stringParam } from './params.ts';
import type { BotCommand } from '../state/types.ts';
import type { MethodContext, MethodHandler } from './context.ts';

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

function commandsKey(ctx: MethodContext): string {
  const scope = jsonParam(ctx.params, 'scope', botApiErrors.cantParseScope) ?? { type: 'default' };
  if (!isObject(scope)) throw botApiErrors.cantParseScope();
  return `${JSON.stringify(scope)}|${stringParam(ctx.params, 'language_code') ?? ''}`;
}

function readCommands(ctx: MethodContext): BotCommand[] {
  const commands = jsonParam(ctx.params, 'commands', botApiErrors.cantParseCommands);
  if (!Array.isArray(commands)) throw botApiErrors.cantParseCommands();
  return commands.map((command: unknown) => {
    if (
      !isObject(command) ||
      typeof command.command !== 'string' ||
      typeof command.description !== 'string'
    ) {
      throw botApiErrors.cantParseCommands();
    }
    const name = command.command.replace(/^\//, '');
    if (!COMMAND_NAME.test(name)) throw botApiErrors.botCommandInvalid();
    return { command: name, description: command.description };
  });
}

export const botMethods: Record<string, MethodHandler> = {
  getMe: ({ bot }) =>
    answer({
      ...userJson(bot.user),
      can_join_groups: bot.canJoinGroups,
      can_read_all_group_messages: bot.canReadAllGroupMessages,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),

  setMyCommands: (ctx) => {
    ctx.bot.commands.set(commandsKey(ctx), readCommands(ctx));
    return answer(true);
  },

  getMyCommands: (ctx) => answer(ctx.bot.commands.get(commandsKey(ctx)) ?? []),

  deleteMyCommands: (ctx) => {
    ctx.bot.commands.delete(commandsKey(ctx));
    return answer(true);
  },
};
