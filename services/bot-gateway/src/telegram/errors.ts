// What a failed Bot API call means for the caller. "Telegram answered with an error" (an
// error_code and a description) is kept apart from "the network failed" (no answer at
// all), because they call for different reactions:
//   rate_limited  429: wait exactly retry_after, then the same call will likely pass
//   unavailable   5xx: Telegram's side hiccupped; retry with backoff
//   rejected      other 4xx: the request itself is refused; retrying will not help
//   network       no usable answer (refused, reset, timeout, unparsable body); retry
import { maskSecrets } from '@nezuko/kit';
import { TelegramError } from 'telegraf';

export type TelegramFailure =
  | {
      readonly kind: 'rate_limited';
      readonly errorCode: number;
      readonly description: string;
      readonly retryAfterSeconds: number;
    }
  | { readonly kind: 'unavailable'; readonly errorCode: number; readonly description: string }
  | {
      readonly kind: 'rejected';
      readonly errorCode: number;
      readonly description: string;
      /** The group became a supergroup with this id (400 with migrate_to_chat_id). */
      readonly migrateToChatId?: string;
    }
  | { readonly kind: 'network'; readonly description: string };

/** Telegram's default wait when a 429 comes without retry_after. */
const defaultRetryAfterSeconds = 5;

export function classifyTelegramFailure(error: unknown): TelegramFailure {
  if (error instanceof TelegramError) {
    const errorCode = error.code;
    const description = maskSecrets(error.description ?? '');
    if (errorCode === 429) {
      const retryAfter = error.parameters?.retry_after;
      return {
        kind: 'rate_limited',
        errorCode,
        description,
        retryAfterSeconds:
          typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : defaultRetryAfterSeconds,
      };
    }
    if (errorCode >= 500) return { kind: 'unavailable', errorCode, description };
    const migrateTo = error.parameters?.migrate_to_chat_id;
    return typeof migrateTo === 'number'
      ? { kind: 'rejected', errorCode, description, migrateToChatId: String(migrateTo) }
      : { kind: 'rejected', errorCode, description };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'network', description: maskSecrets(message) };
}

/** Failures worth retrying later: the same request may well succeed. */
export function isTransient(failure: TelegramFailure): boolean {
  return failure.kind !== 'rejected';
}

/** Telegram's wording when deleting a message that is already gone: the goal is reached. */
export function isMessageAlreadyGone(failure: TelegramFailure): boolean {
  return failure.kind === 'rejected' && /message to delete not found/i.test(failure.description);
}
