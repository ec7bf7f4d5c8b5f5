// What translating one Telegram update yields, and the small builders every kind of update
// shares. Event ids are deterministic so a re-fetched update (after a crash before the
// offset was confirmed) is stored once: `tg:<botId>:<update_id>`, or
// `tg:<botId>:<update_id>:<userId>` when one update yields one event per member.
import {
  create,
  TelegramUserSchema,
  type EventOf,
  type EventType,
  type TelegramUser,
} from '@nezuko/proto';
import type { TgChat, TgUser } from './schema.ts';

export interface BotIdentity {
  readonly botId: string;
  readonly username: string;
}

export type TranslatedEvent = {
  [T in EventType]: {
    readonly type: T;
    readonly id: string;
    readonly occurredAt: Date;
    readonly event: EventOf<T>;
  };
}[EventType];

export type UpdateKind =
  | 'message'
  | 'callback_query'
  | 'chat_member'
  | 'my_chat_member'
  | 'chat_join_request'
  | 'other'
  | 'unknown';

export type Translation =
  | {
      readonly kind: 'events';
      readonly updateId: number;
      readonly updateKind: UpdateKind;
      readonly events: readonly TranslatedEvent[];
    }
  /** A button press Nezuko does not own: Telegram still wants an answer, or the client spins. */
  | {
      readonly kind: 'answer_callback';
      readonly updateId: number;
      readonly updateKind: 'callback_query';
      readonly callbackQueryId: string;
    }
  | {
      readonly kind: 'ignored';
      readonly updateId: number;
      readonly updateKind: UpdateKind;
      readonly reason: string;
    }
  | {
      readonly kind: 'malformed';
      readonly updateId: number | undefined;
      readonly updateKind: UpdateKind;
      readonly reason: string;
    };

/** The update being translated, for the ids of its facts. */
export interface UpdateContext {
  readonly bot: BotIdentity;
  readonly updateId: number;
}

export function isGroup(chat: TgChat): boolean {
  return chat.type === 'group' || chat.type === 'supergroup';
}

export function telegramUser(user: TgUser): TelegramUser {
  return create(TelegramUserSchema, {
    id: String(user.id),
    username: user.username ?? '',
    firstName: user.first_name,
    isBot: user.is_bot,
  });
}

export function eventId(ctx: UpdateContext): string {
  return `tg:${ctx.bot.botId}:${ctx.updateId}`;
}

export function events(
  ctx: UpdateContext,
  updateKind: UpdateKind,
  list: TranslatedEvent[],
): Translation {
  return { kind: 'events', updateId: ctx.updateId, updateKind, events: list };
}

export function ignored(ctx: UpdateContext, updateKind: UpdateKind, reason: string): Translation {
  return { kind: 'ignored', updateId: ctx.updateId, updateKind, reason };
}
