// `node infra/stack/src/setup.ts` — the idempotent setup step: applies every declared
// stream and durable consumer (and, with DATABASE_URL, creates the database). Run by
// `npm start`, the e2e tests, docker-compose and the k8s setup Job.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { applyTopology, baseConfigSchema, loadConfig, naming } from '@nezuko/kit';
import { z } from 'zod';
import { ensureDatabase } from './localServices.ts';

export async function setup(
  natsUrl: string,
  namespace: string,
  databaseUrl?: string,
  replicas = 1,
): Promise<void> {
  const nc = await connect({ servers: natsUrl.split(','), name: 'nezuko-setup' });
  try {
    await applyTopology(await jetstreamManager(nc), naming(namespace), { replicas });
  } finally {
    await nc.close();
  }
  if (databaseUrl) await ensureDatabase(databaseUrl);
}

if (import.meta.main) {
  const config = loadConfig(
    baseConfigSchema.extend({
      DATABASE_URL: z.string().url().optional(),
      /** 3 on a NATS cluster (R3 streams). */
      NZ_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
    }),
  );
  await setup(config.NATS_URL, config.NZ_NAMESPACE, config.DATABASE_URL, config.NZ_STREAM_REPLICAS);
  console.log(
    `setup: streams and consumers applied${config.NZ_NAMESPACE ? ` (namespace ${config.NZ_NAMESPACE})` : ''}`,
  );
}
