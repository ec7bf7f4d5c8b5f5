// What became of each message send (a prompt, a reply) across replicas, in the KV bucket
// NZ_SENDS keyed by action id. Telegram has no idempotency key: a replica killed after
// Telegram posted a prompt but before its outcome was stored would, on redelivery to the
// next lease holder, post it again. So a send is marked as under way before the call and
// its outcome is written right after; a redelivery then finds
//   the outcome      -> stores that again, nothing is sent;
//   only the mark    -> the earlier attempt died mid-call and may have posted: it is not
//                       repeated (a second prompt is what members must never see), and the
//                       outcome says so, failed, so verification frees the prompt slot;
//   nothing          -> a first attempt, or one Telegram answered with a retryable error
//                       (the mark is removed then, so the retry sends).
import { ActionExecutedSchema, fromBinary, toBinary, type ActionExecuted } from '@nezuko/proto';
import type { KV } from '@nats-io/kv';

export type EarlierSend =
  | { readonly state: 'first' }
  | { readonly state: 'interrupted' }
  | { readonly state: 'done'; readonly outcome: ActionExecuted };

export interface SendLedger {
  /** Marks the send as under way; says what an earlier attempt left, if any. */
  begin(actionId: string): Promise<EarlierSend>;
  /** Records Telegram's final answer (posted, or refused for good). */
  finish(outcome: ActionExecuted): Promise<void>;
  /** Telegram did not post it (rate limited, unavailable): the retry may send. */
  retryable(actionId: string): Promise<void>;
}

const underWay = new Uint8Array([0]);

export function createSendLedger(kv: KV): SendLedger {
  // KV keys allow [-/_=.a-zA-Z0-9]; action ids hold ':'.
  const key = (actionId: string) => Buffer.from(actionId).toString('base64url');
  return {
    async begin(actionId) {
      try {
        await kv.create(key(actionId), underWay);
        return { state: 'first' };
      } catch (error) {
        const entry = await kv.get(key(actionId));
        // create failed for another reason than an existing entry: let the consumer retry.
        if (!entry || entry.operation !== 'PUT') throw error;
        if (entry.value.length === 1 && entry.value[0] === 0) return { state: 'interrupted' };
        return { state: 'done', outcome: fromBinary(ActionExecutedSchema, entry.value) };
      }
    },
    async finish(outcome) {
      await kv.put(key(outcome.actionId), toBinary(ActionExecutedSchema, outcome));
    },
    async retryable(actionId) {
      await kv.delete(key(actionId));
    },
  };
}

/** Sends are the actions whose repetition a chat would see. */
export function isSend(kind: string | undefined): boolean {
  return kind === 'prompt' || kind === 'sendText';
}
