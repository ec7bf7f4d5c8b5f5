// The account store as a library, for the operator CLI (`nezuko admin create`) and the
// demo launcher: the same tables, migrations and password hashing the API uses.
export { createCommandDb, migrateCommandDb, type CommandDb } from './db.ts';
export {
  EmailTakenError,
  findAdminByEmail,
  insertAdmin,
  updateAdmin,
  type Admin,
} from './admins.ts';
export { hashPassword } from './passwords.ts';
