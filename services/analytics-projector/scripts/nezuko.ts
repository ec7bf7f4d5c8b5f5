// npm run nezuko -- projections status
// npm run nezuko -- projections rebuild [analytics] [--no-swap]
// Operates on DATABASE_URL / NATS_URL / NZ_NAMESPACE like the services.
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { naming } from '@nezuko/kit';
import { PROJECTION } from '../src/app.ts';
import { projectionStatus, rebuildProjection } from '../src/rebuild.ts';
import { createReadModelDb, migrateToLatest } from '../src/readModel/index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'no-swap': { type: 'boolean', default: false } },
});
const [area, command, name = PROJECTION] = positionals;
const usage =
  'usage: nezuko projections status | nezuko projections rebuild [analytics] [--no-swap]';
if (area !== 'projections' || (command !== 'status' && command !== 'rebuild')) {
  console.error(usage);
  process.exit(2);
}
if (name !== PROJECTION) {
  console.error(`unknown projection ${JSON.stringify(name)} (known: ${PROJECTION})`);
  process.exit(2);
}

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nezuko';
const nc = await connect({ servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',') });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const names = naming(process.env.NZ_NAMESPACE ?? '');
const db = createReadModelDb(databaseUrl, { maxConnections: 2, applicationName: 'nezuko-cli' });

try {
  if (command === 'status') {
    for (const row of await projectionStatus(db, jsm, names)) {
      console.log(
        `${row.projection}: checkpoint ${row.checkpoint} of ${row.streamLastSeq} (lag ${row.lag}), updated ${row.updatedAt.toISOString()}`,
      );
    }
  } else {
    await migrateToLatest(db); // the live schema must exist for the swap
    console.log(`rebuilding ${name} from the start of the stream into a shadow schema`);
    const result = await rebuildProjection({
      databaseUrl,
      db,
      js,
      jsm,
      names,
      swap: !values['no-swap'],
      onProgress: (p) =>
        console.log(
          `  seq ${p.seq} / ${p.target}  ${p.eventsPerSecond} events/s  ETA ${p.etaSeconds} s`,
        ),
    });
    console.log(
      `rebuilt ${result.events} events in ${result.seconds.toFixed(1)} s` +
        (result.retired
          ? `; swapped in, previous model kept as schema ${result.retired}`
          : `; left in schema ${result.shadow}`),
    );
  }
} finally {
  await db.destroy();
  await nc.close();
}
