// Signing in and out. Login is the one public route: throttled per address, locking the
// account after repeated wrong passwords (and saying so), and as slow for an unknown
// email as for a wrong password so it does not reveal which addresses have accounts.
import { clearedSessionCookie, sessionCookie, type Role } from '@nezuko/sessions';
import { z } from 'zod';
import {
  findAdmin,
  findAdminByEmail,
  recordLoginFailure,
  recordLoginSuccess,
} from '../accounts/admins.ts';
import { decoyHash, verifyPassword } from '../accounts/passwords.ts';
import { openSession, revokeSession } from '../accounts/sessions.ts';
import {
  AccountLockedError,
  LoginFailedError,
  TooManyAttemptsError,
  UnauthorizedError,
} from '../errors.ts';
import { adminView, email } from './adminSchemas.ts';
import type { RouteDeps } from './deps.ts';
import { defineRoute, noBody, noParams, type AnyCommandRoute } from './route.ts';

const loginBody = z.strictObject({
  email,
  password: z.string().min(1).max(1024),
});

const loginResponse = z.strictObject({
  admin: adminView,
  expires_at: z.string().meta({ description: 'When the session ends unless revoked earlier' }),
});

const meResponse = z.strictObject({
  id: z.string().nullable(),
  email: z.string(),
  role: z.enum(['owner', 'admin', 'viewer']),
  kind: z.enum(['admin', 'service']),
});

export function sessionRoutes(deps: RouteDeps): AnyCommandRoute[] {
  const login = defineRoute({
    method: 'POST',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Sign in: sets the HttpOnly session cookie',
    description:
      'Per address at most a few attempts per window (429 with Retry-After); after repeated wrong ' +
      'passwords the account is locked for a while (423, says until when).',
    access: 'public',
    resource: 'session',
    params: noParams,
    body: loginBody,
    status: 200,
    response: loginResponse,
    errors: {
      401: 'Wrong email or password',
      423: 'Account locked after too many failed logins',
      429: 'Too many attempts from this address',
    },
    async handle({ body }, ctx) {
      const wait = deps.loginThrottle.attempt(ctx.ip, ctx.now.getTime());
      if (wait > 0) throw new TooManyAttemptsError(wait);
      const admin = await findAdminByEmail(deps.db, body.email);
      if (!admin) {
        await verifyPassword(body.password, await decoyHash);
        throw new LoginFailedError();
      }
      if (admin.lockedUntil && admin.lockedUntil > ctx.now)
        throw new AccountLockedError(admin.lockedUntil);
      if (!(await verifyPassword(body.password, admin.passwordHash))) {
        const policy = deps.loginPolicy;
        const lockUntil = new Date(ctx.now.getTime() + policy.lockMinutes * 60_000);
        const locked = await recordLoginFailure(deps.db, admin.id, policy.maxFailures, lockUntil);
        throw locked ? new AccountLockedError(locked) : new LoginFailedError();
      }
      await recordLoginSuccess(deps.db, admin.id);
      const ttlSeconds = Math.round(deps.loginPolicy.sessionTtlHours * 3600);
      const expiresAt = new Date(ctx.now.getTime() + ttlSeconds * 1000);
      const sessionId = await openSession(deps.db, {
        adminId: admin.id,
        expiresAt,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      ctx.setHeader(
        'set-cookie',
        sessionCookie(sessionId, { secure: ctx.secureCookies, maxAgeSeconds: ttlSeconds }),
      );
      ctx.audit({
        resourceId: admin.id,
        actorEmail: admin.email,
        newValue: { email: admin.email },
      });
      return { admin: adminView.parse(toView(admin)), expires_at: expiresAt.toISOString() };
    },
  });

  const logout = defineRoute({
    method: 'POST',
    path: '/auth/logout',
    operationId: 'logout',
    summary: 'Sign out: revokes the session and clears the cookie',
    access: 'viewer',
    resource: 'session',
    params: noParams,
    body: noBody,
    status: 200,
    response: z.strictObject({ signed_out: z.literal(true) }),
    async handle(_input, ctx) {
      const principal = ctx.principal;
      if (!principal) throw new UnauthorizedError();
      if (principal.sessionHash) await revokeSession(deps.db, principal.sessionHash, ctx.now);
      ctx.setHeader('set-cookie', clearedSessionCookie(ctx.secureCookies));
      ctx.audit({ resourceId: principal.adminId ?? principal.email });
      return { signed_out: true as const };
    },
  });

  const me = defineRoute({
    method: 'GET',
    path: '/auth/me',
    operationId: 'getMe',
    summary: 'Who the session belongs to',
    access: 'viewer',
    resource: 'session',
    params: noParams,
    body: noBody,
    status: 200,
    response: meResponse,
    async handle(_input, ctx) {
      const principal = ctx.principal;
      if (!principal) throw new UnauthorizedError();
      if (principal.adminId !== null && !(await findAdmin(deps.db, principal.adminId)))
        throw new UnauthorizedError();
      return {
        id: principal.adminId,
        email: principal.email,
        role: principal.role,
        kind: principal.kind,
      };
    },
  });
  return [login, logout, me];
}

export function toView(admin: {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  lockedUntil: Date | null;
}) {
  return {
    id: admin.id,
    email: admin.email,
    role: admin.role,
    created_at: admin.createdAt.toISOString(),
    locked_until: admin.lockedUntil?.toISOString() ?? null,
  };
}
