// POST /commands: an admin asks for a Telegram operation in a group. The command is
// recorded (command.requested, pending), put on the owning bot's NZ_ACTIONS queue with
// action_id = command id (command.status_changed running), and the outcome the gateway
// reports (bot.action_executed) becomes succeeded or failed with Telegram's error; see
// commandOutcomes.ts. reverify_group goes to verification instead (running, then
// verify.recheck_requested; verification reports the outcome). Idempotency-Key makes a
// retried request one command.
import {
  CommandRequestedSchema,
  CommandStatus,
  CommandStatusChangedSchema,
  create,
  GroupRecheckRequestedSchema,
} from '@nezuko/proto';
import { z } from 'zod';
import { actionFor, linkedChannelIds, type AdminCommand } from '../commandQueue.ts';
import { ConflictError } from '../errors.ts';
import { actorOf } from './actor.ts';
import type { RouteDeps } from './deps.ts';
import { owningBot } from './groups.ts';
import { botId, telegramChatId, telegramUserId } from './ids.ts';
import { defineRoute, noParams, type AnyCommandRoute } from './route.ts';

const messageId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a Telegram message id (a positive integer)');
const untilDate = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .meta({ description: 'Unix seconds when it ends; 0 or absent = forever' });
const common = { group_id: telegramChatId, bot_id: botId.optional() };

export const commandBody = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ban_user'),
    ...common,
    user_id: telegramUserId,
    until_date: untilDate.optional(),
  }),
  z.strictObject({ type: z.literal('unban_user'), ...common, user_id: telegramUserId }),
  z.strictObject({
    type: z.literal('mute_user'),
    ...common,
    user_id: telegramUserId,
    until_date: untilDate.optional(),
  }),
  z.strictObject({ type: z.literal('unmute_user'), ...common, user_id: telegramUserId }),
  z.strictObject({ type: z.literal('send_message'), ...common, text: z.string().min(1).max(4096) }),
  z.strictObject({ type: z.literal('delete_message'), ...common, message_id: messageId }),
  z.strictObject({ type: z.literal('sync_members'), ...common }),
  z.strictObject({ type: z.literal('leave_group'), ...common }),
  z.strictObject({ type: z.literal('reverify_group'), ...common }),
]);

export function commandRoutes(deps: RouteDeps): AnyCommandRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/commands',
      operationId: 'issueCommand',
      summary: "Queue a Telegram operation on a group's bot",
      description:
        'Answers 202 once the command is recorded and on its bot\'s queue (status "running"). ' +
        "The outcome follows as command.status_changed (succeeded, or failed with Telegram's " +
        'error), pushed live to dashboards. sync_members publishes group.synced (titles and ' +
        'counts); leave_group publishes group.bot_left; reverify_group has verification ' +
        're-check every recently active member (those who no longer qualify are muted). ' +
        'Send an Idempotency-Key: a retry is the same command.',
      access: 'admin',
      resource: 'command',
      params: noParams,
      body: commandBody,
      status: 202,
      response: z.strictObject({
        command_id: z.string(),
        type: z.string(),
        group_id: z.string(),
        bot_id: z.string(),
        status: z.enum(['running']),
      }),
      errors: { 409: 'No bot is known for the group and none was given' },
      async handle({ body }, ctx) {
        let command: AdminCommand = {
          type: body.type,
          groupId: body.group_id,
          ...('user_id' in body ? { userId: body.user_id } : {}),
          ...('message_id' in body ? { messageId: body.message_id } : {}),
          ...('text' in body ? { text: body.text } : {}),
          ...('until_date' in body && body.until_date !== undefined
            ? { untilDate: body.until_date }
            : {}),
        };
        const bot = body.bot_id ?? (await owningBot(deps, body.group_id));
        if (bot === null)
          throw new ConflictError(
            `no bot is known for group ${body.group_id}; send bot_id`,
            'bot_id',
          );
        if (command.type === 'sync_members') {
          // Only the link events, merged in stream order: settings and syncs never crowd them out.
          const group = `nz.evt.group.${body.group_id}`;
          const links = await Promise.all([
            deps.events.all(`${group}.channel_linked`),
            deps.events.all(`${group}.channel_unlinked`),
          ]);
          const ordered = links.flat().sort((a, b) => a.seq - b.seq);
          command = { ...command, channelIds: linkedChannelIds(ordered.map((e) => e.event)) };
        }
        const commandId = ctx.commandId;
        const action = actionFor(command, { actionId: commandId, botId: bot });
        const actor = actorOf(ctx.principal ?? { email: 'unknown' });
        await ctx.append(
          'command.requested',
          create(CommandRequestedSchema, {
            commandId,
            type: command.type,
            botId: bot,
            groupId: command.groupId,
            userId: command.userId ?? '0',
            messageId: command.messageId ?? '0',
            text: command.text ?? '',
            untilDate: command.untilDate ?? 0,
            actor,
          }),
        );
        const running = create(CommandStatusChangedSchema, {
          commandId,
          status: CommandStatus.RUNNING,
          botId: bot,
          groupId: command.groupId,
        });
        if (action) {
          await ctx.enqueue(action);
          await ctx.append('command.status_changed', running);
        } else {
          // Running first: verification may report the outcome before this handler ends,
          // and the last status must be that outcome.
          await ctx.append('command.status_changed', running);
          await ctx.append(
            'verify.recheck_requested',
            create(GroupRecheckRequestedSchema, {
              commandId,
              groupId: command.groupId,
              botId: bot,
              actor,
            }),
          );
        }
        ctx.audit({ resourceId: commandId, newValue: body });
        return {
          command_id: commandId,
          type: body.type,
          group_id: body.group_id,
          bot_id: bot,
          status: 'running' as const,
        };
      },
    }),
  ];
}
