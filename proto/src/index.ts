// @nezuko/proto: event contracts (generated from ../nezuko/**/*.proto), the envelope,
// subject builders and the stream/consumer topology.
export * from './events.ts';
export * from './envelope.ts';
export * from './subjects.ts';
export * from './topology.ts';
export * from '../gen/nezuko/events/v1/common_pb.js';
export * from '../gen/nezuko/events/v1/bot_pb.js';
export * from '../gen/nezuko/events/v1/bot_fleet_pb.js';
export * from '../gen/nezuko/events/v1/group_pb.js';
export * from '../gen/nezuko/events/v1/migration_pb.js';
export * from '../gen/nezuko/events/v1/access_pb.js';
export * from '../gen/nezuko/events/v1/group_maintenance_pb.js';
export * from '../gen/nezuko/events/v1/telegram_pb.js';
export * from '../gen/nezuko/events/v1/verification_pb.js';
export * from '../gen/nezuko/events/v1/actions_pb.js';
export * from '../gen/nezuko/events/v1/rpc_pb.js';
export * from '../gen/nezuko/events/v1/admin_pb.js';
export * from '../gen/nezuko/events/v1/command_pb.js';
export * from '../gen/nezuko/events/v1/settings_pb.js';
export { create, fromBinary, toBinary, toJson } from '@bufbuild/protobuf';
