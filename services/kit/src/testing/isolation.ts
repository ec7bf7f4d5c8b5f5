// Each test run isolates itself: its own NATS namespace (streams and subjects), its own
// PostgreSQL database, its own Redis key prefix (the namespace).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function uniqueNamespace(label = 't'): string {
  return `${label}${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(
  serverUrl: string,
  label = 'nz_test',
): Promise<TestDatabase> {
  const name = `${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
