// Signing in and out. Login is the one public route: throttled per address, locking the
// account after repeated wrong passwords (and saying so), and as slow for an unknown
// email as for a wrong password so it does not reveal which addresses have accounts.
import { clearedSessionCookie, sessionCookie, type Role } from '@nezuko/sessions';
import { z } from 'zod';
import {
  findAdmin,
  findAdminByEmail,
  findOwnerByTelegramId,
  recordLoginFailure,
  recordLoginSuccess,
} from '../accounts/admins.ts';
import { decoyHash, verifyPassword } from '../accounts/passwords.ts';
import { auditEvent } from '../audit.ts';
import { openSession, revokeSession } from '../accounts/sessions.ts';
import {
  AccountLockedError,
  LoginFailedError,
  NotFoundError,
  TooManyAttemptsError,
  UnauthorizedError,
} from '../errors.ts';
import { adminView, email } from './adminSchemas.ts';
import type { RouteDeps } from './deps.ts';
import { widgetProofValid, type WidgetPayload } from '../telegramLogin.ts';
import {
  defineRoute,
  noBody,
  noParams,
  type AnyCommandRoute,
  type CommandContext,
} from './route.ts';

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
      // A refused login is audited too (succeeded = false): guessing shows in the trail.
      const refuse = async (error: Error, adminId = ''): Promise<never> => {
        const entry = auditEvent({
          auditId: ctx.commandId,
          principal: null,
          actorEmail: body.email,
          action: 'login',
          resourceType: 'session',
          resourceId: adminId,
          newValue: { email: body.email, refused: error.message },
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          requestId: ctx.requestId,
          succeeded: false,
        });
        await ctx.append('audit.recorded', entry);
        throw error;
      };
      const wait = await deps.loginThrottle.attempt(ctx.ip, ctx.now.getTime());
      if (wait > 0) return refuse(new TooManyAttemptsError(wait));
      const admin = await findAdminByEmail(deps.db, body.email);
      if (!admin) {
        await verifyPassword(body.password, await decoyHash);
        return refuse(new LoginFailedError());
      }
      if (admin.lockedUntil && admin.lockedUntil > ctx.now)
        return refuse(new AccountLockedError(admin.lockedUntil), admin.id);
      if (!(await verifyPassword(body.password, admin.passwordHash))) {
        const policy = deps.loginPolicy;
        const lockUntil = new Date(ctx.now.getTime() + policy.lockMinutes * 60_000);
        const locked = await recordLoginFailure(deps.db, admin.id, policy.maxFailures, lockUntil);
        return refuse(locked ? new AccountLockedError(locked) : new LoginFailedError(), admin.id);
      }
      await recordLoginSuccess(deps.db, admin.id);
      const expiresAt = await startSession(deps, ctx, admin);
      // The caller had no session yet: the trail names who signed in.
      ctx.audit({ resourceId: admin.id, actorEmail: admin.email, newValue: { via: 'password' } });
      return { admin: adminView.parse(toView(admin)), expires_at: expiresAt.toISOString() };
    },
  });

  const telegramLogin = defineRoute({
    method: 'POST',
    path: '/auth/telegram',
    operationId: 'loginWithTelegram',
    summary: 'Sign in as an owner with the Telegram Login Widget (off unless configured)',
    description:
      "Send the widget's callback fields as JSON. The proof is checked with the login bot's token " +
      '(TELEGRAM_LOGIN_BOT_TOKEN) and must be less than a day old; the Telegram id must be linked ' +
      'to an owner account (PUT /admins/{id} telegram_user_id). 404 when not configured.',
    access: 'public',
    resource: 'session',
    params: noParams,
    body: widgetBody,
    status: 200,
    response: loginResponse,
    errors: { 404: 'Telegram login is not configured', 429: 'Too many attempts from this address' },
    async handle({ body }, ctx) {
      if (!deps.telegramLoginBotToken) throw new NotFoundError('Telegram login is not configured');
      const wait = await deps.loginThrottle.attempt(ctx.ip, ctx.now.getTime());
      if (wait > 0) throw new TooManyAttemptsError(wait);
      const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
      if (!widgetProofValid(body, deps.telegramLoginBotToken, nowSeconds))
        throw new LoginFailedError('the Telegram login proof is invalid or too old');
      const admin = await findOwnerByTelegramId(deps.db, String(body.id));
      if (!admin) throw new LoginFailedError('no owner account is linked to this Telegram user');
      const expiresAt = await startSession(deps, ctx, admin);
      ctx.audit({ resourceId: admin.id, actorEmail: admin.email, newValue: { via: 'telegram' } });
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
  return [login, telegramLogin, logout, me];
}

const widgetBody = z
  .strictObject({
    id: z.number().int().positive(),
    first_name: z.string().max(256).optional(),
    last_name: z.string().max(256).optional(),
    username: z.string().max(64).optional(),
    photo_url: z.string().max(1024).optional(),
    auth_date: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters'),
  })
  .transform((b) => b as typeof b & WidgetPayload);

/** Opens a session and sets its cookie; returns when it expires. */
async function startSession(deps: RouteDeps, ctx: CommandContext, admin: { id: string }) {
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
  return expiresAt;
}

export function toView(admin: {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  lockedUntil: Date | null;
  telegramUserId: string | null;
}) {
  return {
    id: admin.id,
    email: admin.email,
    role: admin.role,
    created_at: admin.createdAt.toISOString(),
    locked_until: admin.lockedUntil?.toISOString() ?? null,
    telegram_user_id: admin.telegramUserId,
  };
}
