// The command service's own tables (schema nz_command): admin accounts, their sessions
// and the settings it serves. Nothing here is derived from the event stream; password
// hashes and session ids never leave this schema.
import type { ColumnType, Generated } from 'kysely';
import type { Role } from '@nezuko/sessions';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AdminTable {
  id: Generated<string>;
  email: string;
  role: Role;
  /** scrypt$N$r$p$salt$hash (base64url); see passwords.ts. */
  password_hash: string;
  failed_logins: Generated<number>;
  /** Set to let this owner sign in with the Telegram Login Widget. */
  telegram_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  locked_until: Timestamp | null;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface SessionTable {
  /** SHA-256 of the cookie's session id. */
  token_hash: Buffer;
  admin_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string;
  user_agent: string;
}

export interface ConfigTable {
  /** One row: the whole settings document, versioned for If-Match. */
  id: number;
  document: ColumnType<Record<string, unknown>, string, string>;
  version: number;
  updated_at: Timestamp;
  updated_by: string;
}

export interface CommandDatabase {
  'nz_command.admins': AdminTable;
  'nz_command.sessions': SessionTable;
  'nz_command.config': ConfigTable;
}
