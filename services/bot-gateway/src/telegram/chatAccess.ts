// When Telegram says the bot can no longer act in a chat (kicked, not an admin with the
// needed right, chat gone, a supergroup-only method in a basic group), the chat is marked
// with a `bot.chat_access_lost` event and, where the bot can still write, the group's
// admins are told once what to fix. "Once" holds across replicas and redeliveries: the
// event id is per chat and problem, and only the publish JetStream stores as new (not a
// duplicate within its window) sends the notice.
import type { EventBus, Logger } from '@nezuko/kit';
import {
  BotChatAccessLostSchema,
  ChatAccessProblem,
  create,
  type TelegramAction,
} from '@nezuko/proto';
import type { TelegramClient } from './client.ts';
import { classifyTelegramFailure, type TelegramFailure } from './errors.ts';

export function chatAccessProblem(failure: TelegramFailure): ChatAccessProblem | undefined {
  if (failure.kind !== 'rejected' || failure.migrateToChatId) return undefined;
  const text = failure.description.toLowerCase();
  if (failure.errorCode === 403 && /kicked from|not a member of the/.test(text))
    return ChatAccessProblem.BOT_KICKED;
  if (/not enough rights|need administrator rights|chat_admin_required|have no rights/.test(text))
    return ChatAccessProblem.NOT_ADMIN;
  if (/chat not found/.test(text)) return ChatAccessProblem.CHAT_NOT_FOUND;
  if (/available only for supergroups|for supergroup and channel chats only/.test(text))
    return ChatAccessProblem.SUPERGROUP_ONLY;
  return undefined;
}

const notices: Partial<Record<ChatAccessProblem, string>> = {
  [ChatAccessProblem.NOT_ADMIN]:
    'Nezuko needs to be an administrator here with the rights to restrict members and delete messages. Please promote the bot, then run /status.',
  [ChatAccessProblem.SUPERGROUP_ONLY]:
    'Nezuko can only protect supergroups. Convert this group to a supergroup (for example by making its history visible), then run /protect again.',
};

export interface ChatAccessReporter {
  observe(action: TelegramAction, method: string, failure: TelegramFailure): Promise<void>;
}

export function createChatAccessReporter(deps: {
  readonly botId: string;
  readonly bus: EventBus;
  readonly telegram: TelegramClient;
  readonly logger: Logger;
}): ChatAccessReporter {
  const known = new Set<string>();
  return {
    async observe(action, method, failure) {
      const problem = chatAccessProblem(failure);
      if (problem === undefined || failure.kind !== 'rejected') return;
      const key = `${action.chatId}:${ChatAccessProblem[problem]}`;
      if (known.has(key)) return;
      known.add(key);
      const stored = await deps.bus.publish(
        'bot.chat_access_lost',
        create(BotChatAccessLostSchema, {
          botId: deps.botId,
          chatId: action.chatId,
          problem,
          method,
          description: failure.description,
        }),
        { id: `bot:${deps.botId}:access_lost:${key}`, causationId: action.actionId },
      );
      deps.logger.warn(
        { chatId: action.chatId, problem: ChatAccessProblem[problem], method },
        'the bot lost access in a chat',
      );
      const notice = notices[problem];
      if (stored.duplicate || !notice) return;
      await deps.telegram
        .call('sendMessage', { chat_id: Number(action.chatId), text: notice })
        .catch((error: unknown) =>
          deps.logger.info(
            { chatId: action.chatId, failure: classifyTelegramFailure(error) },
            'could not tell the admins',
          ),
        );
    },
  };
}
