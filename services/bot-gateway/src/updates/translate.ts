// Telegram update -> Nezuko facts. Pure: no I/O, no clock (an event's time is the
// update's own date, or the receive time passed in). Every update is validated first; a
// malformed one is reported, never thrown, so one bad update cannot stop the poller.
// Each kind of update has its own module; this one validates and dispatches.
import type { z } from 'zod';
import { translateButtonPress } from './buttonPresses.ts';
import { translateMessage } from './groupMessages.ts';
import { translateChatMember, translateJoinRequest } from './memberChanges.ts';
import { updateSchema } from './schema.ts';
import type { BotIdentity, Translation, UpdateContext, UpdateKind } from './translation.ts';

export type { BotIdentity, TranslatedEvent, Translation, UpdateKind } from './translation.ts';

/** `receivedAt` dates facts whose update carries no date of its own (button presses). */
export function translateUpdate(bot: BotIdentity, raw: unknown, receivedAt: Date): Translation {
  const updateId = readUpdateId(raw);
  const parsed = updateSchema.safeParse(raw);
  const updateKind = kindOf(raw);
  if (!parsed.success) {
    return { kind: 'malformed', updateId, updateKind, reason: describeIssues(parsed.error) };
  }
  const update = parsed.data;
  const ctx: UpdateContext = { bot, updateId: update.update_id };
  if (update.message) return translateMessage(ctx, update.message);
  if (update.chat_member) return translateChatMember(ctx, update.chat_member);
  if (update.chat_join_request) return translateJoinRequest(ctx, update.chat_join_request);
  if (update.callback_query) return translateButtonPress(ctx, update.callback_query, receivedAt);
  return { kind: 'ignored', updateId: ctx.updateId, updateKind, reason: 'no fact Nezuko records' };
}

function readUpdateId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

const subscribedKinds = [
  'message',
  'callback_query',
  'chat_member',
  'my_chat_member',
  'chat_join_request',
] as const;

function kindOf(raw: unknown): UpdateKind {
  if (typeof raw !== 'object' || raw === null) return 'unknown';
  const kind = subscribedKinds.find((k) => k in raw);
  if (kind) return kind;
  return Object.keys(raw).some((key) => key !== 'update_id') ? 'other' : 'unknown';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(update)'}: ${issue.message}`)
    .join('; ');
}
