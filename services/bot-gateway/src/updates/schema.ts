// The shape of the Telegram updates the gateway reads, as far as Nezuko relies on it.
// Fields Nezuko does not use are let through untouched (Telegram adds fields often);
// a field it does use with the wrong type makes the update malformed.
import { z } from 'zod';

const telegramId = z.number().int().refine(Number.isSafeInteger, 'not a safe integer');

export const userSchema = z.object({
  id: telegramId,
  is_bot: z.boolean(),
  first_name: z.string(),
  username: z.string().optional(),
});

export const chatSchema = z.object({
  id: telegramId,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
  username: z.string().optional(),
});

const entitySchema = z.object({
  type: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(1),
});

export const messageSchema = z.looseObject({
  message_id: telegramId,
  date: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  sender_chat: chatSchema.optional(),
  text: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  new_chat_members: z.array(userSchema).optional(),
  migrate_to_chat_id: telegramId.optional(),
});

const chatMemberSchema = z.object({
  status: z.enum(['creator', 'administrator', 'member', 'restricted', 'left', 'kicked']),
  user: userSchema,
  is_member: z.boolean().optional(),
});

export const chatMemberUpdatedSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  date: z.number().int(),
  old_chat_member: chatMemberSchema.optional(),
  new_chat_member: chatMemberSchema,
});

export const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  message: z.object({ message_id: telegramId, chat: chatSchema }).optional(),
  data: z.string().optional(),
});

export const chatJoinRequestSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  user_chat_id: telegramId,
  date: z.number().int(),
});

export const updateSchema = z.object({
  update_id: z.number().int().min(0),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
  chat_member: chatMemberUpdatedSchema.optional(),
  chat_join_request: chatJoinRequestSchema.optional(),
});

export type TgUser = z.infer<typeof userSchema>;
export type TgChat = z.infer<typeof chatSchema>;
export type TgMessage = z.infer<typeof messageSchema>;
export type TgChatMemberUpdated = z.infer<typeof chatMemberUpdatedSchema>;
export type TgChatJoinRequest = z.infer<typeof chatJoinRequestSchema>;
export type TgCallbackQuery = z.infer<typeof callbackQuerySchema>;
