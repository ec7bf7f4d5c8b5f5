// Group configuration commands. A group is a Telegram chat; its id is the Bot API chat
// id (negative for groups and supergroups, at most 52 significant bits).
import { create, GroupEnabledChangedSchema } from '@nezuko/proto';
import { z } from 'zod';
import { actorOf } from './actor.ts';
import { defineRoute } from './route.ts';

export const telegramChatId = z
  .string()
  .regex(/^-[1-9][0-9]*$/, 'must be a Telegram group chat id (a negative integer)')
  .refine((value) => Number.isSafeInteger(Number(value)), 'is out of range for a Telegram chat id')
  .meta({ description: 'Telegram chat id of the group', examples: ['-1001234567890'] });

export const groupParams = z.object({ id: telegramChatId });

export const setGroupEnabledBody = z.strictObject({
  enabled: z
    .boolean()
    .meta({ description: 'false pauses enforcement in the group; true resumes it' }),
});

export const groupEnabledAccepted = z.strictObject({
  group_id: telegramChatId,
  enabled: z.boolean(),
  event_id: z
    .string()
    .meta({ description: 'Nats-Msg-Id of the appended group.enabled_changed event' }),
});

export const setGroupEnabled = defineRoute({
  method: 'PUT',
  path: '/groups/:id',
  operationId: 'setGroupEnabled',
  summary: 'Pause or resume enforcement in a group',
  description:
    'Appends a group.enabled_changed event. Accepted (202) means the event is stored; read models ' +
    'and the verification service follow within moments. Send an Idempotency-Key to make retries safe.',
  params: groupParams,
  body: setGroupEnabledBody,
  status: 202,
  response: groupEnabledAccepted,
  async handle({ params, body }, ctx) {
    const event = create(GroupEnabledChangedSchema, {
      groupId: params.id,
      enabled: body.enabled,
      actor: actorOf(ctx.principal),
    });
    const { eventId } = await ctx.append('group.enabled_changed', event);
    return { group_id: params.id, enabled: body.enabled, event_id: eventId };
  },
});
