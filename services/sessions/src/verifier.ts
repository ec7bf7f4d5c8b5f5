// Verifies a session cookie against the sessions table the command service owns
// (schema nz_command). Any service that serves admins (command, websocket-push) asks
// the same question the same way: is this session live, and whose is it now? The role is
// read from the account on every check, so a demotion or deletion applies at once.
import type pg from 'pg';
import { hashSessionId, sessionIdFromCookieHeader } from './cookie.ts';
import { isRole, type Role } from './roles.ts';

export interface SessionPrincipal {
  readonly adminId: string;
  readonly email: string;
  readonly role: Role;
  /** The hash of the session id: what logout revokes. */
  readonly sessionHash: Buffer;
}

export interface SessionVerifier {
  /** The live session's principal, or null (no cookie, unknown, expired, revoked, deleted admin). */
  verify(cookieHeader: string | undefined): Promise<SessionPrincipal | null>;
}

interface SessionRow {
  admin_id: string;
  email: string;
  role: string;
}

const liveSession = `
  select a.id as admin_id, a.email, a.role
    from nz_command.sessions s
    join nz_command.admins a on a.id = s.admin_id
   where s.token_hash = $1
     and s.revoked_at is null
     and s.expires_at > now()
     and a.deleted_at is null`;

export function createSessionVerifier(pool: pg.Pool): SessionVerifier {
  return {
    async verify(cookieHeader) {
      const sessionId = sessionIdFromCookieHeader(cookieHeader);
      if (sessionId === undefined) return null;
      const sessionHash = hashSessionId(sessionId);
      const { rows } = await pool.query<SessionRow>(liveSession, [sessionHash]);
      const row = rows[0];
      if (!row || !isRole(row.role)) return null;
      return { adminId: row.admin_id, email: row.email, role: row.role, sessionHash };
    },
  };
}
