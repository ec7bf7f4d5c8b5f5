// A typed client for the Telegram emulator's control API: how the demo and the end-to-end
// tests act as Telegram users would (join, write, press buttons) and look at the result.

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export interface TgChat {
  id: number;
  type: string;
  title?: string;
  username?: string;
  members: { status: string; user: TgUser; is_member?: boolean; can_send_messages?: boolean }[];
}

export interface TgMessage {
  message_id: number;
  text?: string;
  deleted: boolean;
  sent_by_bot_id?: number;
  from?: TgUser;
  reply_markup?: { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] };
}

export interface CallbackAnswer {
  answered: boolean;
  answer?: { text?: string; show_alert?: boolean };
}

export class EmulatorControl {
  readonly root: string;

  constructor(root: string) {
    this.root = root.replace(/\/$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.root}/control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  createBot(username: string, firstName: string) {
    return this.call<{ id: number; token: string; user: TgUser }>('POST', '/bots', {
      username,
      first_name: firstName,
    });
  }

  createUser(firstName: string, username?: string) {
    return this.call<TgUser>('POST', '/users', {
      first_name: firstName,
      ...(username ? { username } : {}),
    });
  }

  createChat(
    type: 'supergroup' | 'channel',
    title: string,
    options: { username?: string; creatorId?: number } = {},
  ) {
    return this.call<TgChat>('POST', '/chats', {
      type,
      title,
      ...(options.username ? { username: options.username } : {}),
      ...(options.creatorId ? { creator_id: options.creatorId } : {}),
    });
  }

  /** Makes a user (or bot) an administrator with the rights a gate bot needs. */
  makeAdmin(chatId: number, userId: number) {
    return this.call('PUT', `/chats/${chatId}/members/${userId}`, {
      status: 'administrator',
      rights: {
        can_manage_chat: true,
        can_delete_messages: true,
        can_restrict_members: true,
        can_invite_users: true,
        can_post_messages: true,
      },
    });
  }

  join(chatId: number, userId: number) {
    return this.call('POST', `/chats/${chatId}/join`, { user_id: userId });
  }

  leave(chatId: number, userId: number) {
    return this.call('POST', `/chats/${chatId}/leave`, { user_id: userId });
  }

  say(chatId: number, userId: number, text: string) {
    return this.call<TgMessage>('POST', `/chats/${chatId}/messages`, { user_id: userId, text });
  }

  chat(chatId: number) {
    return this.call<TgChat>('GET', `/chats/${chatId}`);
  }

  messages(chatId: number) {
    return this.call<TgMessage[]>('GET', `/chats/${chatId}/messages`);
  }

  press(chatId: number, userId: number, messageId: number, data: string) {
    return this.call<{ callback_query_id: string }>('POST', '/callback', {
      user_id: userId,
      chat_id: chatId,
      message_id: messageId,
      data,
    });
  }

  callback(id: string) {
    return this.call<CallbackAnswer>('GET', `/callbacks/${id}`);
  }

  /** The member's status in a chat, or 'left' when they never joined. */
  async statusOf(chatId: number, userId: number): Promise<string> {
    const chat = await this.chat(chatId);
    return chat.members.find((m) => m.user.id === userId)?.status ?? 'left';
  }

  /** The bot's live verify prompt addressed to a user, if any. */
  async promptFor(chatId: number, userId: number): Promise<TgMessage | undefined> {
    const data = `nz:v:${userId}`;
    return (await this.messages(chatId)).find(
      (m) =>
        !m.deleted && m.reply_markup?.inline_keyboard.flat().some((b) => b.callback_data === data),
    );
  }
}
