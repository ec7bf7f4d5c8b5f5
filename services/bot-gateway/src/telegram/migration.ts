// A basic group that became a supergroup has a new id; Telegram refuses calls on the old
// one with migrate_to_chat_id. The gateway then records `group.migrated` (verification
// moves the group's configuration to the new id) and re-queues the refused action on the
// new id, so the member is still muted or prompted. Both ids are derived from the refused
// action, so a redelivery stores nothing twice. An action on one message (delete, edit) is
// not re-queued: the supergroup numbers its messages afresh, so the same id there names
// another message.
import type { EventBus, Logger } from '@nezuko/kit';
import { create, GroupMigratedSchema, type TelegramAction } from '@nezuko/proto';
import type { TelegramFailure } from './errors.ts';

export interface MigrationFollower {
  /** True when the failure was a migration and the action was re-queued on the new id. */
  observe(action: TelegramAction, failure: TelegramFailure): Promise<boolean>;
}

export function createMigrationFollower(deps: {
  readonly botId: string;
  readonly bus: EventBus;
  readonly logger: Logger;
}): MigrationFollower {
  return {
    async observe(action, failure) {
      if (failure.kind !== 'rejected' || !failure.migrateToChatId) return false;
      const newGroupId = failure.migrateToChatId;
      await deps.bus.publish(
        'group.migrated',
        create(GroupMigratedSchema, {
          groupId: action.chatId,
          newGroupId,
          botId: deps.botId,
        }),
        { id: `tg:${deps.botId}:migrate:${action.chatId}`, causationId: action.actionId },
      );
      if (messageScoped.has(action.kind.case ?? '')) return false;
      const actionId = `${action.actionId}:migrated`;
      await deps.bus.publishAction(
        { ...action, actionId, chatId: newGroupId },
        { id: actionId, causationId: action.actionId },
      );
      deps.logger.info(
        { groupId: action.chatId, newGroupId, actionId },
        'group migrated to a supergroup; action re-queued on the new id',
      );
      return true;
    },
  };
}

const messageScoped = new Set<string>(['delete', 'editText']);
