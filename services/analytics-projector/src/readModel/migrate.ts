// Migrations are compiled into the service (a static provider, no directory scanning) so
// the deployable carries exactly the schema it was built for. Kysely's migrator takes a
// lock, so several starting replicas migrate once.
import { Migrator, type Kysely, type Migration } from 'kysely';
import * as readModelV1 from './migrations/20261122T0000_read_model_v1.ts';
import * as rollupsV2 from './migrations/20261122T0100_rollups_v2.ts';
import * as operationsV3 from './migrations/20261122T0200_operations_v3.ts';
import * as usersV4 from './migrations/20261122T0300_users_v4.ts';
import * as coarseV5 from './migrations/20261122T0400_coarse_rollups_v5.ts';
import * as growthV6 from './migrations/20261122T0500_user_growth_v6.ts';
import * as logIndexesV7 from './migrations/20261122T0600_log_indexes_v7.ts';
import * as writePathV8 from './migrations/20261122T0700_write_path_v8.ts';
import * as groupLifecycle from './migrations/20261122T0750_group_lifecycle_active_users.ts';
import * as incarnationV9 from './migrations/20261122T0800_stream_incarnation_v9.ts';
import * as userDaysV10 from './migrations/20261122T0900_user_days_v10.ts';
import * as botMinuteV11 from './migrations/20261122T1000_bot_minute_v11.ts';
import * as noGroupDayV12 from './migrations/20261122T1100_no_group_day_v12.ts';
import type { Database } from './schema.ts';

const migrations: Record<string, Migration> = {
  '20261122T0000_read_model_v1': readModelV1,
  '20261122T0100_rollups_v2': rollupsV2,
  '20261122T0200_operations_v3': operationsV3,
  '20261122T0300_users_v4': usersV4,
  '20261122T0400_coarse_rollups_v5': coarseV5,
  '20261122T0500_user_growth_v6': growthV6,
  '20261122T0600_log_indexes_v7': logIndexesV7,
  '20261122T0700_write_path_v8': writePathV8,
  '20261122T0750_group_lifecycle_active_users': groupLifecycle,
  '20261122T0800_stream_incarnation_v9': incarnationV9,
  '20261122T0900_user_days_v10': userDaysV10,
  '20261122T1000_bot_minute_v11': botMinuteV11,
  '20261122T1100_no_group_day_v12': noGroupDayV12,
};

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Brings the schema to the latest version; returns the names of migrations applied now. */
export async function migrateToLatest(
  db: Kysely<Database>,
  options: { schema?: string } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    // A rebuild migrates a shadow schema: its bookkeeping tables must live there too.
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
