// Carries a planned change out against the read model, inside the caller's transaction.
// Decisions and API calls are not among them: a batch writes those set-based, in its own
// statement (batch.ts).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../readModel/index.ts';
import { assertNever, type ReadModelChange } from './changes.ts';
import {
  applyBotStatus,
  removeLinkedChannel,
  setGroupEnabled,
  upsertLinkedChannel,
  upsertRegisteredBot,
} from './writes.ts';
import {
  insertAudit,
  setBotLifecycle,
  setGroupSettings,
  upsertCommand,
} from './operationsWrites.ts';
import {
  applyGroupSync,
  markBotLeft,
  moveMigratedGroup,
  shiftSubscribers,
} from './groupLifecycle.ts';

/** Every change but the ones a batch writes set-based. */
export type SingleChange = Exclude<ReadModelChange, { kind: 'verification' | 'api_call' }>;

export async function applyChange(
  trx: Transaction<Database> | Kysely<Database>,
  change: SingleChange,
): Promise<void> {
  switch (change.kind) {
    case 'channel_linked':
      return upsertLinkedChannel(trx, change.link);
    case 'channel_unlinked':
      return removeLinkedChannel(trx, change.groupId, change.channelId, change.at);
    case 'group_enabled':
      return setGroupEnabled(trx, change.groupId, change.enabled, change.at);
    case 'bot_registered':
      return upsertRegisteredBot(trx, change);
    case 'bot_status':
      return applyBotStatus(trx, change.record);
    case 'bot_lifecycle':
      return setBotLifecycle(trx, change.botId, change.lifecycle, change.at);
    case 'audit':
      return insertAudit(trx, change.record);
    case 'command':
      return upsertCommand(trx, change.record);
    case 'group_settings':
      return setGroupSettings(trx, change.groupId, change.settings, change.at);
    case 'group_synced':
      return applyGroupSync(trx, change.sync);
    case 'group_bot_left':
      return markBotLeft(trx, change.groupId, change.botId, change.at);
    case 'group_migrated':
      return moveMigratedGroup(trx, change.migration);
    case 'channel_subscribers':
      return shiftSubscribers(trx, change.channelId, change.delta, change.at);
    default:
      return assertNever(change);
  }
}
