// @nezuko/analytics-projector/read-model: the read model's schema (one kysely `Database`
// interface), its connection factory and its migrations. The projector writes it;
// websocket-push reads it.
export { createReadModelDb, readModelReady, type ReadModelDbOptions } from './db.ts';
export { migrateToLatest, MigrationError } from './migrate.ts';
export {
  activityGranularities,
  botStatuses,
  outcomes,
  readModels,
  triggers,
  type ActivityGranularity,
  type ActiveUsersTable,
  type BotStatus,
  type BotsTable,
  type ChannelsTable,
  type Database,
  type GroupChannelsTable,
  type GroupsTable,
  type Outcome,
  type ProjectionCheckpointsTable,
  type ReadModelName,
  type Trigger,
  type VerificationRollupTable,
  type ApiCallLogTable,
  type ApiCallHourTable,
  type AuditLogTable,
  type AdminCommandsTable,
  type EventStatsHourTable,
  type UsersTable,
  type UserDaysTable,
  type VerificationGroupTotalsTable,
  type ReadModelCountersTable,
  type VerificationLogTable,
} from './schema.ts';
export {
  emptyHistogram,
  histogramAggregateSql,
  histogramSumSql,
  histogramQuantile,
  latencyBoundsMs,
  latencyBucket,
  latencyBucketCount,
} from './histogram.ts';
export {
  createPartitionCache,
  dropPartitionsBefore,
  ensureMonthPartitions,
  monthStart,
  type PartitionCache,
  type PartitionedLog,
} from './partitions.ts';
