// @nezuko/telegram-emulator: a Telegram Bot API server for tests and the demo.

export { createEmulator } from './app.ts';
export type { Emulator, EmulatorOptions } from './app.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { TelegramError } from './errors.ts';
export { EmulatorState } from './state/store.ts';
export type {
  BotRecord,
  ChatRecord,
  ChatType,
  MemberState,
  MemberStatus,
  MessageRecord,
  UserRecord,
} from './state/types.ts';
export type { ChatPermissions, AdministratorRights } from './state/permissions.ts';
export type { RequestLogEntry } from './requestLog.ts';
