// Who is asking, and may they. Admins authenticate with the session cookie (see
// @nezuko/sessions); automation may use the optional service token (ADMIN_API_TOKEN,
// `Authorization: Bearer`), which acts with the admin role, never owner. The origin guard
// defends cookie sessions against CSRF on top of SameSite=Strict.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows, type Role, type SessionVerifier } from '@nezuko/sessions';
import { ForbiddenError, ForbiddenOriginError, UnauthorizedError } from './errors.ts';

export interface Principal {
  readonly kind: 'admin' | 'service';
  /** The account id; null for the service token. */
  readonly adminId: string | null;
  readonly email: string;
  readonly role: Role;
  /** The session's id hash (what logout revokes); null for the service token. */
  readonly sessionHash: Buffer | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticator on routes that require it. */
    principal: Principal | null;
  }
}

/** An onRequest hook: sets `request.principal`, or leaves it null when there is no credential. */
export type Authenticator = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time: hashing first hides the expected token's length too. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export interface ServiceToken {
  readonly token: string;
  /** Who events made with the token are attributed to. */
  readonly actorEmail: string;
}

/**
 * Resolves the caller from the session cookie, else the service token. A presented but
 * wrong credential is a 401 at once; no credential leaves the principal null so public
 * routes (login) still answer and protected ones reject with 401.
 */
export function sessionAuthenticator(
  sessions: SessionVerifier,
  serviceToken?: ServiceToken,
): Authenticator {
  return async (request) => {
    const cookie = request.headers.cookie;
    const session = await sessions.verify(cookie);
    if (session) {
      request.principal = { kind: 'admin', ...session };
      return;
    }
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([^\s]+)$/i.exec(header);
      if (!serviceToken || !match?.[1] || !tokenMatches(match[1], serviceToken.token))
        throw new UnauthorizedError();
      request.principal = {
        kind: 'service',
        adminId: null,
        email: serviceToken.actorEmail,
        role: 'admin',
        sessionHash: null,
      };
    }
  };
}

export function requireRole(request: FastifyRequest, required: Role): Principal {
  const principal = request.principal;
  if (principal === null) throw new UnauthorizedError();
  if (!roleAllows(principal.role, required)) throw new ForbiddenError(required);
  return principal;
}

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for mutations: an Origin outside the allow-list is refused; a request that
 * carries a cookie must name an allowed Origin (browsers send it on every cross-site and
 * same-origin non-GET fetch), unless the browser says it came from this very site.
 * Requests without cookies (curl with the service token) need no Origin.
 */
export function originGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (request: FastifyRequest): Promise<void> => {
    if (!mutating.has(request.method)) return Promise.resolve();
    const origin = request.headers.origin;
    if (origin !== undefined) {
      return allowed.has(origin) ? Promise.resolve() : Promise.reject(new ForbiddenOriginError());
    }
    const sameSite = request.headers['sec-fetch-site'] === 'same-origin';
    return request.headers.cookie !== undefined && !sameSite
      ? Promise.reject(new ForbiddenOriginError())
      : Promise.resolve();
  };
}
