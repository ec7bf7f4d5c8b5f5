// How each Telegram action is carried out with the Bot API. One function per action kind;
// each returns what happened (never throws for a Telegram or network failure) so the
// executor can decide between "done", "retry later" and "give up".
import type { InlineButton, TelegramAction } from '@nezuko/proto';
import type { ChatPermissions } from 'telegraf/types';
import type { TelegramClient } from '../telegram/client.ts';
import {
  classifyTelegramFailure,
  isMessageAlreadyGone,
  type TelegramFailure,
} from '../telegram/errors.ts';
import {
  leaveChat,
  syncChat,
  unbanMember,
  type ChatSnapshot,
  type Maintained,
} from './groupMaintenance.ts';

export type Performed =
  | {
      readonly ok: true;
      readonly method: string;
      readonly resultMessageId: string;
      readonly note: string;
      /** What a sync read (published as group.synced). */
      readonly snapshot?: ChatSnapshot;
    }
  | { readonly ok: false; readonly method: string; readonly failure: TelegramFailure };

/** Every permission a non-admin can hold, all off: the member can read but not write. */
const mutedPermissions: Required<ChatPermissions> = {
  can_send_messages: false,
  can_send_audios: false,
  can_send_documents: false,
  can_send_photos: false,
  can_send_videos: false,
  can_send_video_notes: false,
  can_send_voice_notes: false,
  can_send_polls: false,
  can_send_other_messages: false,
  can_add_web_page_previews: false,
  can_change_info: false,
  can_invite_users: false,
  can_pin_messages: false,
  can_manage_topics: false,
};

export async function performAction(
  telegram: TelegramClient,
  action: TelegramAction,
): Promise<Performed> {
  const chatId = Number(action.chatId);
  const kind = action.kind;
  switch (kind.case) {
    case 'restrict':
      return attempt('restrictChatMember', async () => {
        await telegram.call('restrictChatMember', {
          chat_id: chatId,
          user_id: Number(kind.value.userId),
          permissions: mutedPermissions,
          use_independent_chat_permissions: true,
          until_date: kind.value.untilDate,
        });
        return done('restrictChatMember');
      });
    case 'lift':
      return liftRestriction(telegram, chatId, Number(kind.value.userId));
    case 'prompt':
      return attempt('sendMessage', async () => {
        const sent = await telegram.call('sendMessage', {
          chat_id: chatId,
          text: kind.value.text,
          reply_markup: {
            inline_keyboard: keyboard(kind.value.buttons),
          },
        });
        return done('sendMessage', String(sent.message_id));
      });
    case 'delete':
      return attempt(
        'deleteMessage',
        async () => {
          await telegram.call('deleteMessage', {
            chat_id: chatId,
            message_id: Number(kind.value.messageId),
          });
          return done('deleteMessage');
        },
        // Someone (an admin, the member) already deleted it: the goal is reached.
        (failure) =>
          isMessageAlreadyGone(failure) ? done('deleteMessage', '', 'already deleted') : undefined,
      );
    case 'answerCallback':
      return attempt('answerCallbackQuery', async () => {
        await telegram.call('answerCallbackQuery', {
          callback_query_id: kind.value.callbackQueryId,
          ...(kind.value.text !== '' ? { text: kind.value.text } : {}),
          show_alert: kind.value.showAlert,
        });
        return done('answerCallbackQuery');
      });
    case 'sendText':
      return attempt('sendMessage', async () => {
        const replyTo = Number(kind.value.replyToMessageId);
        const sent = await telegram.call('sendMessage', {
          chat_id: chatId,
          text: kind.value.text,
          ...(replyTo > 0
            ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
            : {}),
          ...(kind.value.buttons.length > 0
            ? { reply_markup: { inline_keyboard: keyboard(kind.value.buttons) } }
            : {}),
        });
        return done('sendMessage', String(sent.message_id));
      });
    case 'editText':
      return attempt(
        'editMessageText',
        async () => {
          await telegram.call('editMessageText', {
            chat_id: chatId,
            message_id: Number(kind.value.messageId),
            text: kind.value.text,
            reply_markup: { inline_keyboard: keyboard(kind.value.buttons) },
          });
          return done('editMessageText');
        },
        // Pressing the same button twice asks for the same text: the goal is reached.
        (failure) =>
          failure.kind === 'rejected' && /message is not modified/i.test(failure.description)
            ? done('editMessageText', '', 'not modified')
            : undefined,
      );
    case 'approveJoin':
      return attempt('approveChatJoinRequest', async () => {
        await telegram.call('approveChatJoinRequest', {
          chat_id: chatId,
          user_id: Number(kind.value.userId),
        });
        return done('approveChatJoinRequest');
      });
    case 'declineJoin':
      return attempt('declineChatJoinRequest', async () => {
        await telegram.call('declineChatJoinRequest', {
          chat_id: chatId,
          user_id: Number(kind.value.userId),
        });
        return done('declineChatJoinRequest');
      });
    case 'remove': {
      const userId = Number(kind.value.userId);
      const kick = kind.value.kick;
      return attempt('banChatMember', async () => {
        await telegram.call('banChatMember', {
          chat_id: chatId,
          user_id: userId,
          ...(kind.value.untilDate > 0 ? { until_date: kind.value.untilDate } : {}),
        });
        // A kick lets the member come back: lift the ban at once.
        if (kick)
          await telegram.call('unbanChatMember', {
            chat_id: chatId,
            user_id: userId,
            only_if_banned: true,
          });
        return done(kick ? 'banChatMember+unbanChatMember' : 'banChatMember');
      });
    }
    case 'unban':
      return performed(await unbanMember(telegram, chatId, kind.value));
    case 'leave':
      return performed(await leaveChat(telegram, chatId));
    case 'sync':
      return performed(await syncChat(telegram, chatId, kind.value));
    case undefined:
      return {
        ok: false,
        method: '',
        failure: { kind: 'rejected', errorCode: 0, description: 'action has no kind' },
      };
    default:
      return assertNever(kind);
  }
}

/** One button per row: join links first, the verify button last. */
function keyboard(buttons: readonly InlineButton[]) {
  return buttons.map((button) => [
    button.url !== ''
      ? { text: button.text, url: button.url }
      : { text: button.text, callback_data: button.callbackData },
  ]);
}

/**
 * Restores what the group allows everyone, read from the group itself: never wider than
 * the group's defaults, so lifting Nezuko's mute cannot grant a member extra rights.
 */
async function liftRestriction(
  telegram: TelegramClient,
  chatId: number,
  userId: number,
): Promise<Performed> {
  let permissions: ChatPermissions | undefined;
  const read = await attempt('getChat', async () => {
    const chat = await telegram.call('getChat', { chat_id: chatId });
    permissions = 'permissions' in chat ? chat.permissions : undefined;
    return done('getChat');
  });
  if (!read.ok) return read;
  if (!permissions) {
    return {
      ok: false,
      method: 'getChat',
      failure: {
        kind: 'rejected',
        errorCode: 0,
        description: 'the group has no default permissions to restore',
      },
    };
  }
  const restore = permissions;
  return attempt('restrictChatMember', async () => {
    await telegram.call('restrictChatMember', {
      chat_id: chatId,
      user_id: userId,
      permissions: restore,
      use_independent_chat_permissions: true,
    });
    return done('restrictChatMember');
  });
}

async function attempt(
  method: string,
  call: () => Promise<Performed>,
  recover: (failure: TelegramFailure) => Performed | undefined = () => undefined,
): Promise<Performed> {
  try {
    return await call();
  } catch (error) {
    const failure = classifyTelegramFailure(error);
    return recover(failure) ?? { ok: false, method, failure };
  }
}

function performed(maintained: Maintained): Performed {
  return maintained.ok ? { ...maintained, resultMessageId: '' } : maintained;
}

function done(method: string, resultMessageId = '', note = ''): Performed {
  return { ok: true, method, resultMessageId, note };
}

function assertNever(value: never): never {
  throw new Error(`unhandled action kind ${JSON.stringify(value)}`);
}
