// Queries over admin accounts. Emails compare case-insensitively; deleted accounts stay
// (soft delete) so audit entries keep pointing at someone.
import type { Kysely } from 'kysely';
import type { Role } from '@nezuko/sessions';
import type { CommandDatabase } from './schema.ts';

export interface Admin {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly createdAt: Date;
  readonly lockedUntil: Date | null;
  readonly telegramUserId: string | null;
}

export interface AdminWithSecret extends Admin {
  readonly passwordHash: string;
  readonly failedLogins: number;
}

type Db = Kysely<CommandDatabase>;

const columns = [
  'id',
  'email',
  'role',
  'created_at',
  'locked_until',
  'password_hash',
  'failed_logins',
  'telegram_user_id',
] as const;

function toAdmin(row: {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  locked_until: Date | null;
  password_hash: string;
  failed_logins: number;
  telegram_user_id: string | null;
}): AdminWithSecret {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    lockedUntil: row.locked_until,
    passwordHash: row.password_hash,
    failedLogins: row.failed_logins,
    telegramUserId: row.telegram_user_id,
  };
}

/** Without the secret fields, for anything that leaves the service. */
export function publicAdmin(admin: Admin): Admin {
  const { id, email, role, createdAt, lockedUntil, telegramUserId } = admin;
  return { id, email, role, createdAt, lockedUntil, telegramUserId };
}

export async function findAdminByEmail(db: Db, email: string): Promise<AdminWithSecret | null> {
  const row = await db
    .selectFrom('nz_command.admins')
    .select(columns)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toAdmin(row) : null;
}

export async function findOwnerByTelegramId(
  db: Db,
  telegramUserId: string,
): Promise<AdminWithSecret | null> {
  const row = await db
    .selectFrom('nz_command.admins')
    .select(columns)
    .where('telegram_user_id', '=', telegramUserId)
    .where('role', '=', 'owner')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toAdmin(row) : null;
}

export async function findAdmin(db: Db, id: string): Promise<AdminWithSecret | null> {
  const row = await db
    .selectFrom('nz_command.admins')
    .select(columns)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toAdmin(row) : null;
}

export async function listAdmins(db: Db): Promise<Admin[]> {
  const rows = await db
    .selectFrom('nz_command.admins')
    .select(columns)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => publicAdmin(toAdmin(row)));
}

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export async function insertAdmin(
  db: Db,
  input: { email: string; role: Role; passwordHash: string },
): Promise<Admin> {
  try {
    const row = await db
      .insertInto('nz_command.admins')
      .values({ email: input.email, role: input.role, password_hash: input.passwordHash })
      .returning(columns)
      .executeTakeFirstOrThrow();
    return publicAdmin(toAdmin(row));
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new EmailTakenError(input.email);
    throw error;
  }
}

export async function countOwners(db: Db): Promise<number> {
  const row = await db
    .selectFrom('nz_command.admins')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('role', '=', 'owner')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateAdmin(
  db: Db,
  id: string,
  change: { role?: Role; passwordHash?: string; telegramUserId?: string | null },
): Promise<void> {
  await db
    .updateTable('nz_command.admins')
    .set({
      ...(change.role ? { role: change.role } : {}),
      ...(change.telegramUserId !== undefined ? { telegram_user_id: change.telegramUserId } : {}),
      ...(change.passwordHash
        ? { password_hash: change.passwordHash, failed_logins: 0, locked_until: null }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function softDeleteAdmin(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('nz_command.admins').set({ deleted_at: at }).where('id', '=', id).execute();
}

/** Counts a wrong password; locks the account once `maxFailures` is reached. */
export async function recordLoginFailure(
  db: Db,
  id: string,
  maxFailures: number,
  lockUntil: Date,
): Promise<Date | null> {
  const row = await db
    .updateTable('nz_command.admins')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  if (row.failed_logins < maxFailures) return null;
  await db
    .updateTable('nz_command.admins')
    .set({ locked_until: lockUntil, failed_logins: 0 })
    .where('id', '=', id)
    .execute();
  return lockUntil;
}

export async function recordLoginSuccess(db: Db, id: string): Promise<void> {
  await db
    .updateTable('nz_command.admins')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}
