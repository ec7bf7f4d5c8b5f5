// The demo's login: an owner account with a fresh random password each start, printed
// by `npm start`. The demo namespace is reset at every start, so nothing else knows it.
import { randomBytes } from 'node:crypto';
import {
  createCommandDb,
  findAdminByEmail,
  hashPassword,
  insertAdmin,
  migrateCommandDb,
  updateAdmin,
} from '@nezuko/command/accounts';

export const demoOwnerEmail = 'owner@nezuko.local';

export async function ensureDemoOwner(
  databaseUrl: string,
): Promise<{ email: string; password: string }> {
  const password = randomBytes(12).toString('base64url');
  const store = createCommandDb(databaseUrl);
  try {
    await migrateCommandDb(store.db);
    const passwordHash = await hashPassword(password);
    const existing = await findAdminByEmail(store.db, demoOwnerEmail);
    if (existing) await updateAdmin(store.db, existing.id, { role: 'owner', passwordHash });
    else await insertAdmin(store.db, { email: demoOwnerEmail, role: 'owner', passwordHash });
  } finally {
    await store.close();
  }
  return { email: demoOwnerEmail, password };
}
