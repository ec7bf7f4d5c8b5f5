// The demo's login: an owner account with a fresh random password each start, printed
// by `npm start`. The demo namespace is reset at every start, so nothing else knows it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createCommandDb,
  findAdminByEmail,
  hashPassword,
  insertAdmin,
  migrateCommandDb,
  updateAdmin,
} from '@nezuko/command/accounts';
import { repoRoot } from '../services.ts';

/** Where `npm start` leaves the demo login for tools on this machine (git-ignored). */
export const demoLoginFile = join(repoRoot, 'artifacts/demo-login.json');

export interface DemoLogin {
  email: string;
  password: string;
}

export function writeDemoLogin(login: DemoLogin): void {
  mkdirSync(dirname(demoLoginFile), { recursive: true });
  writeFileSync(demoLoginFile, JSON.stringify(login), { mode: 0o600 });
}

/** The login `npm start` wrote, or null when the demo has not run here. */
export function readDemoLogin(): DemoLogin | null {
  try {
    const value = JSON.parse(readFileSync(demoLoginFile, 'utf8')) as Partial<DemoLogin>;
    return typeof value.email === 'string' && typeof value.password === 'string'
      ? { email: value.email, password: value.password }
      : null;
  } catch {
    return null;
  }
}

export const demoOwnerEmail = 'owner@nezuko.local';

export async function ensureDemoOwner(databaseUrl: string): Promise<DemoLogin> {
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
