// `npm run admin -- create …` as an operator runs it: a separate process, the password on
// stdin, real Postgres and NATS. The account can be found, the password is only a hash,
// and admin.created is on the stream without it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createCommandDb, findAdminByEmail } from '@nezuko/command/accounts';
import { decodeEvent, naming } from '@nezuko/kit';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup } from '../src/setup.ts';

const cli = fileURLToPath(new URL('../src/cli/admin.ts', import.meta.url));
const namespace = uniqueNamespace('cli');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(testEnv().databaseUrl, 'nz_cli');
  await setup(testEnv().natsUrl, namespace);
});

afterAll(async () => {
  await database.drop();
  const nc = await connect({ servers: testEnv().natsUrl });
  const jsm = await jetstreamManager(nc);
  for (const s of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const)
    await jsm.streams.delete(naming(namespace).stream(s)).catch(() => undefined);
  await nc.close();
});

function run(args: string[], stdin: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NATS_URL: testEnv().natsUrl,
        NZ_NAMESPACE: namespace,
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
    child.stdin.end(stdin);
  });
}

describe('nezuko admin create', () => {
  const password = 'a long operator password';

  it('creates the first owner from a password on stdin, storing only a hash', async () => {
    const { code, out } = await run(
      ['create', '--email', 'Root@Example.com', '--role', 'owner'],
      `${password}\n`,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/created owner root@example.com/);
    expect(out).not.toContain(password);

    const store = createCommandDb(database.url);
    const admin = await findAdminByEmail(store.db, 'root@example.com');
    await store.close();
    expect(admin?.role).toBe('owner');
    expect(admin?.passwordHash).toMatch(/^scrypt\$/);
    expect(admin?.passwordHash).not.toContain(password);

    const nc = await connect({ servers: testEnv().natsUrl });
    const names = naming(namespace);
    const msg = await (
      await jetstreamManager(nc)
    ).streams.getMessage(names.stream('NZ_EVENTS'), {
      last_by_subj: names.subject(`nz.evt.admin.${admin?.id ?? ''}.created`),
    });
    await nc.close();
    expect(msg && decodeEvent(msg.header, msg.data).event).toMatchObject({
      type: 'admin.created',
      event: { email: 'root@example.com', role: 'owner' },
    });
    expect(Buffer.from(msg?.data ?? []).toString()).not.toContain(password);
  });

  it('refuses a short password and an email already in use, saying why', async () => {
    const short = await run(['create', '--email', 'x@example.com'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.out).toMatch(/at least 12 characters/);
    const dup = await run(['create', '--email', 'root@example.com'], `${password}\n`);
    expect(dup.code).toBe(2);
    expect(dup.out).toMatch(/exists already/);
  });
});
