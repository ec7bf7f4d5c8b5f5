// The control API's request bodies, validated at the edge.

import { z } from 'zod';

const id = z.number().int();
const positiveId = z.number().int().positive();
const flags = z.record(z.string(), z.boolean());

export const createBotBody = z.object({
  id: positiveId.optional(),
  token: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{1,64}$/, 'must look like <botId>:<secret>')
    .optional(),
  username: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram username'),
  first_name: z.string().min(1),
  can_join_groups: z.boolean().optional(),
  can_read_all_group_messages: z.boolean().optional(),
});

export const createUserBody = z.object({
  id: positiveId.optional(),
  first_name: z.string().min(1),
  last_name: z.string().optional(),
  username: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram username')
    .optional(),
  language_code: z.string().optional(),
  is_bot: z.boolean().optional(),
});

export const createChatBody = z.object({
  type: z.enum(['supergroup', 'group', 'channel', 'private']),
  id: id.optional(),
  title: z.string().min(1).optional(),
  username: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram username')
    .optional(),
  description: z.string().optional(),
  permissions: flags.optional(),
  linked_chat_id: id.optional(),
  creator_id: positiveId.optional(),
  user_id: positiveId.optional(),
  bot_id: positiveId.optional(),
});

export const updateChatBody = z.object({
  title: z.string().min(1).optional(),
  username: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/)
    .nullable()
    .optional(),
  description: z.string().optional(),
  permissions: flags.optional(),
  linked_chat_id: id.nullable().optional(),
});

export const memberBody = z.looseObject({
  status: z.enum(['creator', 'administrator', 'member', 'restricted', 'left', 'kicked']),
  rights: flags.optional(),
  permissions: flags.optional(),
  until_date: z.number().int().nonnegative().optional(),
  is_member: z.boolean().optional(),
  is_anonymous: z.boolean().optional(),
  custom_title: z.string().optional(),
  promoted_by: positiveId.optional(),
  actor_id: positiveId.optional(),
});

export const joinBody = z.object({
  user_id: positiveId,
  via: z.enum(['service_message', 'invite_link', 'request']).optional(),
  invite_link: z.string().optional(),
  added_by: positiveId.optional(),
});

export const leaveBody = z.object({ user_id: positiveId });

export const messageBody = z.object({
  user_id: positiveId.optional(),
  sender_chat_id: id.optional(),
  text: z.string().min(1),
  reply_to_message_id: positiveId.optional(),
});

export const callbackBody = z.object({
  user_id: positiveId,
  chat_id: z.union([id, z.string()]),
  message_id: positiveId,
  data: z.string().min(1),
});

export const faultBody = z.object({
  token: z.string().optional(),
  method: z.string().min(1),
  error_code: z.number().int().min(400).max(599),
  description: z.string().optional(),
  retry_after: z.number().int().positive().optional(),
  migrate_to_chat_id: id.optional(),
  times: z.number().int().positive().optional(),
});

export const rateLimitBody = z
  .object({
    requests_per_second: z.number().int().positive().optional(),
    messages_per_minute_per_chat: z.number().int().positive().optional(),
  })
  .refine(
    (limits) => Object.keys(limits).length > 0,
    'give requests_per_second or messages_per_minute_per_chat',
  );

export const requestsQuery = z.object({
  token: z.string().optional(),
  method: z.string().optional(),
  since: z.coerce.number().optional(),
  after_id: z.coerce.number().int().optional(),
});
