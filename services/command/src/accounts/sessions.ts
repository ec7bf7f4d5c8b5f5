// Server-side sessions: created at login, revoked at logout, when the password changes or
// the account is deleted; they expire on their own after SESSION_TTL_HOURS.
import type { Kysely } from 'kysely';
import { hashSessionId, newSessionId } from '@nezuko/sessions';
import type { CommandDatabase } from './schema.ts';

type Db = Kysely<CommandDatabase>;

export async function openSession(
  db: Db,
  input: { adminId: string; expiresAt: Date; ip: string; userAgent: string },
): Promise<string> {
  const sessionId = newSessionId();
  await db
    .insertInto('nz_command.sessions')
    .values({
      token_hash: hashSessionId(sessionId),
      admin_id: input.adminId,
      expires_at: input.expiresAt,
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 512),
    })
    .execute();
  return sessionId;
}

export async function revokeSession(db: Db, tokenHash: Buffer, at: Date): Promise<void> {
  await db
    .updateTable('nz_command.sessions')
    .set({ revoked_at: at })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOf(db: Db, adminId: string, at: Date): Promise<void> {
  await db
    .updateTable('nz_command.sessions')
    .set({ revoked_at: at })
    .where('admin_id', '=', adminId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Deletes sessions that can never be used again (expired or revoked before `now`). */
export async function purgeDeadSessions(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('nz_command.sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('revoked_at', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
