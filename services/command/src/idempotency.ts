// Idempotency ids for appended events. With an Idempotency-Key the id is derived from the
// key *and* what was asked (caller, operation, validated input), so a retry of the same
// request maps to the same Nats-Msg-Id and JetStream stores the event once (within the
// stream's duplicate window, 2 h), while a key reused for a different request can never
// silently swallow it. The `cmd:` prefix keeps client keys out of the id space of other
// producers (`tg:<botId>:<update_id>`, derived ids), so a client cannot pre-empt those.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from './auth.ts';

export const idempotencyKeyHeader = 'Idempotency-Key';

export const idempotencyKeyDescription =
  'Makes retries safe: the same key with the same request appends the event once (within 2 hours)';

export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
  .optional();

export interface CommandIdentity {
  /** Null on public routes: their requests are never deduplicated. */
  readonly principal: Principal | null;
  readonly operationId: string;
  readonly params: unknown;
  readonly body: unknown;
}

export function commandEventId(key: string | undefined, command: CommandIdentity): string {
  if (key === undefined || command.principal === null) return `cmd:${randomUUID()}`;
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        command.principal.kind,
        command.principal.email,
        command.operationId,
        command.params,
        command.body,
        key,
      ]),
    )
    .digest('base64url');
  return `cmd:${hash.slice(0, 32)}`;
}
