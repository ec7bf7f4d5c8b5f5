// The demo's world lives in a fresh emulator each start (its ids restart at the same
// numbers), so the demo's namespace starts from a clean slate too: its streams, KV buckets
// and database are removed before setup. Never used outside demo mode.
import pg from 'pg';
import { deleteNamespaceStreams } from '../namespaceStreams.ts';

export async function resetDemoNamespace(
  natsUrl: string,
  namespace: string,
  databaseUrl: string,
): Promise<void> {
  await deleteNamespaceStreams(natsUrl, namespace);
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/i.test(name))
    throw new Error(`unsupported database name ${JSON.stringify(name)}`);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
