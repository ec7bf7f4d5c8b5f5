import { describe, expect, it } from 'vitest';
import { TelegramError } from '../errors.ts';
import { chatForBot } from './chatAccess.ts';
import { commandEntities } from './messages.ts';
import { answerCallbackQuery, deleteMessage, editMessage, sendMessage } from './messaging.ts';
import { adminState, buildWorld, NOW } from './testing.ts';
import { pressButton, userSendsMessage } from './userActions.ts';

function description(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof TelegramError) return `${error.errorCode} ${error.description}`;
    throw error;
  }
}

describe('deleteMessage', () => {
  it("needs can_delete_messages for other people's messages", () => {
    const world = buildWorld();
    const { message } = userSendsMessage(
      world.state,
      world.chat,
      { userId: world.alice.id, text: 'spam' },
      NOW,
    );
    world.setMember(world.bot.user.id, adminState({ can_delete_messages: false }));
    const request = { chat: world.chat.id, messageId: message.messageId };
    expect(description(() => deleteMessage(world.state, world.bot.user.id, request, NOW))).toBe(
      "400 Bad Request: message can't be deleted",
    );
    world.setMember(world.bot.user.id, adminState());
    deleteMessage(world.state, world.bot.user.id, request, NOW);
    expect(message.deleted).toBe(true);
    expect(description(() => deleteMessage(world.state, world.bot.user.id, request, NOW))).toBe(
      '400 Bad Request: message to delete not found',
    );
  });

  it('lets any bot delete its own messages, but not after 48 hours', () => {
    const world = buildWorld();
    world.setMember(world.bot.user.id, { status: 'member' });
    const own = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'mine' },
      NOW,
    );
    const old = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'old' },
      NOW,
    );
    deleteMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, messageId: own.message.messageId },
      NOW + 10,
    );
    expect(own.message.deleted).toBe(true);
    const later = NOW + 48 * 3600;
    expect(
      description(() =>
        deleteMessage(
          world.state,
          world.bot.user.id,
          { chat: world.chat.id, messageId: old.message.messageId },
          later,
        ),
      ),
    ).toBe("400 Bad Request: message can't be deleted");
  });
});

describe('sendMessage', () => {
  it('numbers messages per chat, increasing', () => {
    const world = buildWorld();
    const first = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'a' },
      NOW,
    );
    const second = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'b' },
      NOW,
    );
    expect(second.message.messageId).toBe(first.message.messageId + 1);
  });

  it('is forbidden to a user who never opened the bot, and to chats the bot left', () => {
    const world = buildWorld();
    expect(
      description(() =>
        sendMessage(world.state, world.bot.user.id, { chat: world.alice.id, text: 'hi' }, NOW),
      ),
    ).toBe("403 Forbidden: bot can't initiate conversation with a user");
    world.setMember(world.bot.user.id, { status: 'left' });
    expect(
      description(() =>
        sendMessage(world.state, world.bot.user.id, { chat: world.chat.id, text: 'hi' }, NOW),
      ),
    ).toBe('403 Forbidden: bot is not a member of the supergroup chat');
  });

  it('refuses a reply to a missing message unless allowed', () => {
    const world = buildWorld();
    const replyTo = { messageId: 999, allowSendingWithoutReply: false };
    expect(
      description(() =>
        sendMessage(
          world.state,
          world.bot.user.id,
          { chat: world.chat.id, text: 'x', replyTo },
          NOW,
        ),
      ),
    ).toBe('400 Bad Request: message to be replied not found');
    const sent = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'x', replyTo: { ...replyTo, allowSendingWithoutReply: true } },
      NOW,
    );
    expect(sent.message.replyToMessageId).toBeUndefined();
  });
});

describe('editMessage', () => {
  it('removes the keyboard when no markup is given, and refuses a no-op edit', () => {
    const world = buildWorld();
    const keyboard = { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] };
    const sent = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'x', replyMarkup: keyboard },
      NOW,
    );
    const target = { chat: world.chat.id, messageId: sent.message.messageId };
    editMessage(world.state, world.bot.user.id, { ...target, text: 'x' }, NOW + 1);
    expect(sent.message.replyMarkup).toBeUndefined();
    expect(sent.message.editDate).toBe(NOW + 1);
    expect(
      description(() => editMessage(world.state, world.bot.user.id, { ...target, text: 'x' }, NOW)),
    ).toMatch(/^400 Bad Request: message is not modified/);
  });

  it("refuses to edit someone else's message", () => {
    const world = buildWorld();
    const { message } = userSendsMessage(
      world.state,
      world.chat,
      { userId: world.alice.id, text: 'hi' },
      NOW,
    );
    expect(
      description(() =>
        editMessage(
          world.state,
          world.bot.user.id,
          { chat: world.chat.id, messageId: message.messageId, text: 'y' },
          NOW,
        ),
      ),
    ).toBe("400 Bad Request: message can't be edited");
  });
});

describe('answerCallbackQuery', () => {
  it('records the answer once; a second answer is refused', () => {
    const world = buildWorld();
    const keyboard = { inline_keyboard: [[{ text: 'Verify', callback_data: 'v' }]] };
    const sent = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'x', replyMarkup: keyboard },
      NOW,
    );
    const { queryId } = pressButton(
      world.state,
      { userId: world.alice.id, chat: world.chat, messageId: sent.message.messageId, data: 'v' },
      NOW,
    );
    answerCallbackQuery(
      world.state,
      world.bot.user.id,
      queryId,
      { text: 'Done', show_alert: true },
      NOW,
    );
    expect(world.state.callbackQueries.get(queryId)?.answer).toEqual({
      text: 'Done',
      show_alert: true,
      answered_at: NOW,
    });
    expect(
      description(() =>
        answerCallbackQuery(world.state, world.bot.user.id, queryId, { show_alert: false }, NOW),
      ),
    ).toBe('400 Bad Request: query is too old and response timeout expired or query ID is invalid');
  });
});

describe('chat access', () => {
  it('lets anyone read a public channel but keeps its members from non-admins', () => {
    const world = buildWorld();
    const channel = world.state.addChat({ type: 'channel', title: 'News', username: 'news' });
    expect(chatForBot(world.state, world.bot.user.id, '@news', 'read', NOW).chat).toBe(channel);
    expect(
      description(() => chatForBot(world.state, world.bot.user.id, '@news', 'write', NOW)),
    ).toBe('403 Forbidden: bot is not a member of the channel chat');
    const secret = world.state.addChat({ type: 'channel', title: 'Secret' });
    expect(
      description(() => chatForBot(world.state, world.bot.user.id, secret.id, 'read', NOW)),
    ).toBe('400 Bad Request: chat not found');
  });

  it('answers an upgraded group with its new id', () => {
    const world = buildWorld('group');
    world.chat.migratedToChatId = -1009999;
    try {
      chatForBot(world.state, world.bot.user.id, world.chat.id, 'write', NOW);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TelegramError);
      expect((error as TelegramError).parameters).toEqual({ migrate_to_chat_id: -1009999 });
    }
  });
});

describe('commandEntities', () => {
  it('finds commands with offsets in UTF-16 units', () => {
    expect(commandEntities('/start')).toEqual([{ offset: 0, length: 6, type: 'bot_command' }]);
    expect(commandEntities('😀 /status@gate_bot now')).toEqual([
      { offset: 3, length: 16, type: 'bot_command' },
    ]);
    expect(commandEntities('a/b and http://x/y')).toEqual([]);
  });
});
