// A mutation route declared as data: method, path, zod schemas for params, body and
// response, and a handler that turns validated input into events. The same table
// registers the fastify routes and generates the OpenAPI document.
import type { EventOf, EventType } from '@nezuko/proto';
import type { z } from 'zod';
import type { Principal } from '../auth.ts';

export interface AppendResult {
  /** The event's Nats-Msg-Id. */
  readonly eventId: string;
  /** True when an earlier request with the same Idempotency-Key already appended it. */
  readonly duplicate: boolean;
}

export interface CommandContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly now: Date;
  /** Appends an event under this request's idempotency id, correlated to the request. */
  append<T extends EventType>(type: T, event: EventOf<T>): Promise<AppendResult>;
}

export interface CommandRoute<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax (`/groups/:id`), relative to the API prefix. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly params: P;
  readonly body: B;
  readonly status: 200 | 201 | 202;
  readonly response: R;
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
