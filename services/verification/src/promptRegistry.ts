// Which members have a verification prompt standing, so a member gets ONE prompt however
// many times they trigger a check. Key `<ns>:nz:prompt:<groupId>:<userId>` holds the id of
// the event that caused the prompt (so a redelivery of that event still counts as the
// owner and re-derives the same prompt action) and, once sent, the prompt's message id and
// chat (a prompt posted before its basic group became a supergroup stays in the old chat).
import type { Redis } from 'ioredis';
import { keyPrefix } from './membershipCache.ts';

export interface PendingPrompt {
  readonly eventId: string;
  readonly messageId: string;
  /** The chat the prompt message is in. */
  readonly chatId: string;
}

export interface PromptRegistry {
  /** The standing prompt, if any. */
  pending(groupId: string, userId: string): Promise<PendingPrompt | undefined>;
  /** Records a prompt caused by `eventId`; false when another event's prompt stands. */
  claim(groupId: string, userId: string, eventId: string): Promise<boolean>;
  /** Notes the message id of the prompt caused by `eventId` once Telegram posted it. */
  recordMessage(groupId: string, userId: string, eventId: string, messageId: string): Promise<void>;
  clear(groupId: string, userId: string): Promise<void>;
  /** Clears the prompt only if `eventId` caused it (it could not be sent). */
  release(groupId: string, userId: string, eventId: string): Promise<void>;
  key(groupId: string, userId: string): string;
}

export function createPromptRegistry(
  redis: Redis,
  namespace: string,
  ttlSeconds: number,
): PromptRegistry {
  const prefix = keyPrefix(namespace);
  const key = (groupId: string, userId: string) => `${prefix}:prompt:${groupId}:${userId}`;
  const parse = (raw: string | null, groupId: string): PendingPrompt | undefined => {
    if (raw === null) return undefined;
    try {
      const value = JSON.parse(raw) as Partial<PendingPrompt>;
      return {
        eventId: String(value.eventId ?? ''),
        messageId: String(value.messageId ?? '0'),
        chatId: String(value.chatId ?? groupId),
      };
    } catch {
      return { eventId: '', messageId: '0', chatId: groupId };
    }
  };
  return {
    key,
    pending: async (groupId, userId) => parse(await redis.get(key(groupId, userId)), groupId),
    async claim(groupId, userId, eventId) {
      const k = key(groupId, userId);
      const set = await redis.set(
        k,
        JSON.stringify({ eventId, messageId: '0' }),
        'EX',
        ttlSeconds,
        'NX',
      );
      if (set === 'OK') return true;
      return parse(await redis.get(k), groupId)?.eventId === eventId;
    },
    async recordMessage(groupId, userId, eventId, messageId) {
      const k = key(groupId, userId);
      if (parse(await redis.get(k), groupId)?.eventId !== eventId) return;
      await redis.set(k, JSON.stringify({ eventId, messageId, chatId: groupId }), 'KEEPTTL', 'XX');
    },
    async clear(groupId, userId) {
      await redis.del(key(groupId, userId));
    },
    async release(groupId, userId, eventId) {
      const k = key(groupId, userId);
      if (parse(await redis.get(k), groupId)?.eventId === eventId) await redis.del(k);
    },
  };
}
