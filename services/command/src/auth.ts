// Who may mutate. Until accounts and roles exist, one admin bearer token (ADMIN_API_TOKEN)
// stands for the configured admin; the session-based authenticator replaces
// `bearerTokenAuthenticator` where main.ts wires it, and nothing else changes.
// The origin guard is separate: it defends browser sessions against CSRF whatever the
// credential is.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenOriginError, UnauthorizedError } from './errors.ts';

export interface Principal {
  readonly kind: 'admin';
  readonly email: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticator on routes that require it. */
    principal: Principal | null;
  }
}

/** An onRequest hook: sets `request.principal` or rejects with UnauthorizedError. */
export type Authenticator = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time: hashing first hides the expected token's length too. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerTokenAuthenticator(token: string, adminEmail: string): Authenticator {
  const principal: Principal = { kind: 'admin', email: adminEmail };
  return (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match?.[1] || !tokenMatches(match[1], token))
      return Promise.reject(new UnauthorizedError());
    request.principal = principal;
    return Promise.resolve();
  };
}

/** Rejects a request whose Origin header names a site outside the allow-list. */
export function originGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin;
    return origin !== undefined && !allowed.has(origin)
      ? Promise.reject(new ForbiddenOriginError())
      : Promise.resolve();
  };
}
