// A route of the command API declared as data: method, path, who may call it, zod
// schemas for params, body and response, and a handler. The same table registers the
// fastify routes and generates the OpenAPI document; the registrar adds authentication,
// idempotent event ids and the audit entry every mutation leaves.
import type { EventOf, EventType, TelegramAction } from '@nezuko/proto';
import type { Role } from '@nezuko/sessions';
import { z } from 'zod';
import type { Principal } from '../auth.ts';

export interface AppendResult {
  /** The event's Nats-Msg-Id. */
  readonly eventId: string;
  /** True when an earlier request with the same Idempotency-Key already appended it. */
  readonly duplicate: boolean;
  /** Its NZ_EVENTS stream sequence (an ETag for optimistic concurrency). */
  readonly seq: number;
}

export interface AppendOptions {
  /** Append only if the subject's last event still has this sequence (0 = none); else 409. */
  readonly expectedLastSubjectSequence?: number;
}

/** What the audit trail records about a mutation beyond who, when and from where. */
export interface AuditDetails {
  readonly resourceId: string;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
  /** For public routes (login): who the entry is about. */
  readonly actorEmail?: string;
}

export interface CommandContext {
  /** Null only on public routes. */
  readonly principal: Principal | null;
  readonly requestId: string;
  readonly now: Date;
  readonly ip: string;
  readonly userAgent: string;
  /** Whether cookies set now must be Secure (anything but localhost). */
  readonly secureCookies: boolean;
  /** The If-Match header, for optimistic concurrency. */
  readonly ifMatch: string | undefined;
  /** The first event id of this request (deterministic with an Idempotency-Key). */
  readonly commandId: string;
  /** Appends an event under this request's idempotency id, correlated to the request. */
  append<T extends EventType>(
    type: T,
    event: EventOf<T>,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Puts a Telegram action on its bot's NZ_ACTIONS queue. */
  enqueue(action: TelegramAction): Promise<AppendResult>;
  /** Details for this mutation's audit entry (else the resource id comes from the path). */
  audit(details: AuditDetails): void;
  setHeader(name: string, value: string): void;
}

/** Public: no session needed (login). Otherwise the least role that may call it. */
export type Access = 'public' | Role;

export const noBody = z.undefined();

export interface CommandRoute<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax (`/groups/:id`), relative to the API prefix. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: Access;
  /** The audit trail's resource type: group, bot, admin, config, command, session. */
  readonly resource: string;
  readonly params: P;
  /** `noBody` for routes that take none. */
  readonly body: B;
  readonly status: 200 | 201 | 202;
  readonly response: R;
  /** Extra documented answers: status -> description. */
  readonly errors?: Readonly<Record<number, string>>;
  handle(
    input: { params: z.output<P>; body: z.output<B> },
    ctx: CommandContext,
  ): Promise<z.input<R>>;
}

export type AnyCommandRoute = CommandRoute<z.ZodType, z.ZodType, z.ZodType>;

/** Keeps a route's schema types tied to its handler while letting routes share one table. */
export function defineRoute<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  route: CommandRoute<P, B, R>,
): AnyCommandRoute {
  return route;
}

export const noParams = z.object({});
