// `node infra/stack/src/cli/admin.ts create --email <email> --role owner|admin|viewer`
// — creates a dashboard admin account (the first owner, typically). The password is
// prompted for on a terminal (not echoed) or read from stdin (`… < password.txt`); it is
// stored as an scrypt hash in the command service's database and never printed. The
// account's creation is appended as admin.created (no secrets) for the audit trail.
//
// Env: DATABASE_URL (the command service's), NATS_URL, NZ_NAMESPACE.
import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  createCommandDb,
  EmailTakenError,
  hashPassword,
  insertAdmin,
  migrateCommandDb,
  type Admin,
} from '@nezuko/command/accounts';
import { baseConfigSchema, createEventBus, naming, parseConfig } from '@nezuko/kit';
import { ActorSchema, AdminCreatedSchema, create } from '@nezuko/proto';
import { z } from 'zod';

export class CliError extends Error {
  override readonly name = 'CliError';
}

const inputSchema = z.object({
  email: z.email('--email must be an email address').transform((v) => v.toLowerCase()),
  role: z.enum(['owner', 'admin', 'viewer'], '--role must be owner, admin or viewer'),
  password: z.string().min(12, 'the password must be at least 12 characters').max(1024),
});

export interface CreateAdminInput {
  readonly email: string;
  readonly role: string;
  readonly password: string;
}

export interface Connections {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly namespace: string;
}

/** Creates the account and appends admin.created; refuses an email already in use. */
export async function createAdmin(input: CreateAdminInput, conn: Connections): Promise<Admin> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw new CliError(parsed.error.issues[0]?.message ?? 'invalid input');
  const { email, role, password } = parsed.data;
  const store = createCommandDb(conn.databaseUrl);
  try {
    await migrateCommandDb(store.db);
    const admin = await insertAdmin(store.db, {
      email,
      role,
      passwordHash: await hashPassword(password),
    }).catch((error: unknown) => {
      if (error instanceof EmailTakenError) throw new CliError(`an admin ${email} exists already`);
      throw error;
    });
    const nc = await connect({ servers: conn.natsUrl.split(','), name: 'nezuko-cli' });
    try {
      const bus = createEventBus(jetstream(nc), naming(conn.namespace));
      await bus.publish(
        'admin.created',
        create(AdminCreatedSchema, {
          adminId: admin.id,
          email: admin.email,
          role: admin.role,
          actor: create(ActorSchema, {
            who: { case: 'system', value: `cli:${process.env.USER ?? 'operator'}` },
          }),
        }),
        { id: `cli:${randomUUID()}` },
      );
    } finally {
      await nc.close();
    }
    return admin;
  } finally {
    await store.close();
  }
}

/** Reads a password: hidden prompt on a terminal, else all of stdin (first line). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  process.stdout.write('Password (not shown): ');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          process.stdin.off('data', onData);
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          process.stdin.setRawMode(false);
          reject(new CliError('cancelled'));
          return;
        }
        value = char === '\u007f' ? value.slice(0, -1) : value + char;
      }
    };
    process.stdin.on('data', onData);
  });
}

if (import.meta.main) {
  const usage = 'usage: nezuko admin create --email <email> --role owner|admin|viewer';
  try {
    const { positionals, values } = parseArgs({
      allowPositionals: true,
      options: { email: { type: 'string' }, role: { type: 'string', default: 'owner' } },
    });
    if (positionals[0] !== 'create' || values.email === undefined) throw new CliError(usage);
    const env = parseConfig(
      baseConfigSchema.extend({
        DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/nezuko'),
      }),
      process.env,
    );
    const admin = await createAdmin(
      { email: values.email, role: values.role, password: await readPassword() },
      { databaseUrl: env.DATABASE_URL, natsUrl: env.NATS_URL, namespace: env.NZ_NAMESPACE },
    );
    process.stdout.write(`created ${admin.role} ${admin.email} (${admin.id})\n`);
  } catch (error) {
    process.stderr.write(`nezuko admin: ${(error as Error).message}\n`);
    process.exit(error instanceof CliError ? 2 : 1);
  }
}
