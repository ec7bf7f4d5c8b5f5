// @nezuko/kit: the shared runtime of Nezuko's services (config, logging, telemetry,
// NATS/JetStream helpers, the ops server, shutdown, secrets). A library, not a service.
export {
  baseConfigSchema,
  configFields,
  ConfigError,
  loadConfig,
  parseConfig,
  type BaseConfig,
} from './config.ts';
export { createLogger, maskSecrets, type Logger, type LogTee } from './logger.ts';
export {
  createLogShipper,
  type LogShipper,
  type LogShipperOptions,
  type LogShipperStats,
  type LogShipTarget,
} from './logShipper.ts';
export {
  applyLogLevel,
  configurableServices,
  globalSettingsSchema,
  logLevels,
  publishGlobalSettings,
  watchGlobalSettings,
  type ConfigurableService,
  type GlobalSettings,
  type GlobalSettingsWatch,
} from './globalSettings.ts';
export { startTelemetry, type Telemetry } from './telemetry.ts';
export { connectNats } from './nats/connection.ts';
export { naming, type Naming } from './nats/naming.ts';
export {
  applyTopology,
  bucketName,
  ensureConsumer,
  ensureKvBucket,
  ensureStream,
  type TopologyOptions,
} from './nats/topology.ts';
export {
  createEventBus,
  decodeAction,
  decodeEvent,
  type EventBus,
  WrongLastSequenceError,
  type PublishOptions,
  type PublishResult,
} from './nats/bus.ts';
export {
  backoffDelay,
  PoisonMessageError,
  RetryLaterError,
  runConsumer,
  type ConsumerHandle,
  type ConsumerOptions,
  type Delivery,
} from './nats/consumer.ts';
export { request, serve, RpcUnavailableError } from './nats/rpc.ts';
export { extractTraceContext, injectTraceContext } from './nats/tracing.ts';
export {
  handleOpsRequest,
  readiness,
  startOpsServer,
  type Probes,
  type ReadinessCheck,
} from './ops.ts';
export { contendForLease, openLeaseBucket, type Lease, type LeaseOptions } from './nats/leases.ts';
export { onShutdown, type ShutdownStep } from './shutdown.ts';
export { createKeyring, tokenKeysSchema, type Keyring, type Sealed } from './secrets.ts';
export { natsReady, startRuntime, type Runtime } from './runtime.ts';
