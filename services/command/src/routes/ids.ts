// Telegram ids as they appear in paths and bodies: decimal strings, so 64-bit ids never
// lose precision in JSON.
import { z } from 'zod';

export const telegramChatId = z
  .string()
  .regex(/^-[1-9][0-9]*$/, 'must be a Telegram group chat id (a negative integer)')
  .refine((value) => Number.isSafeInteger(Number(value)), 'is out of range for a Telegram chat id')
  .meta({ description: 'Telegram chat id of the group', examples: ['-1001234567890'] });

export const telegramChannelId = telegramChatId.meta({
  description: 'Telegram chat id of the channel',
  examples: ['-1009876543210'],
});

export const telegramUserId = z
  .string()
  .regex(/^[1-9][0-9]*$/, 'must be a Telegram user id (a positive integer)')
  .refine((value) => Number.isSafeInteger(Number(value)), 'is out of range for a Telegram id')
  .meta({ description: 'Telegram user id', examples: ['123456789'] });

export const botId = telegramUserId.meta({
  description: 'Telegram id of the bot (the number before the colon of its token)',
  examples: ['7000000001'],
});
