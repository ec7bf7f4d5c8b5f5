// The catalogue of Telegram Bot API errors the emulator answers with. Texts are the
// ones api.telegram.org (and tdlib/telegram-bot-api) send, so client code that matches
// on a description behaves as it would in production.

import type { ChatType } from './state/types.ts';

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** "Telegram answered with an error": an error code, a description and maybe parameters. */
export class TelegramError extends Error {
  readonly errorCode: number;
  readonly description: string;
  readonly parameters: ResponseParameters | undefined;

  constructor(errorCode: number, description: string, parameters?: ResponseParameters) {
    super(description);
    this.name = 'TelegramError';
    this.errorCode = errorCode;
    this.description = description;
    this.parameters = parameters;
  }

  toResponse(): {
    ok: false;
    error_code: number;
    description: string;
    parameters?: ResponseParameters;
  } {
    return this.parameters === undefined
      ? { ok: false, error_code: this.errorCode, description: this.description }
      : {
          ok: false,
          error_code: this.errorCode,
          description: this.description,
          parameters: this.parameters,
        };
  }
}

const badRequest = (text: string): TelegramError => new TelegramError(400, `Bad Request: ${text}`);
const forbidden = (text: string): TelegramError => new TelegramError(403, `Forbidden: ${text}`);

/** How Telegram names a chat kind in "bot was kicked from the <kind> chat". */
function chatKind(type: ChatType): string {
  switch (type) {
    case 'group':
      return 'group';
    case 'supergroup':
      return 'supergroup';
    case 'channel':
      return 'channel';
    case 'private':
      return 'private';
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

export const botApiErrors = {
  unauthorized: () => new TelegramError(401, 'Unauthorized'),
  notFound: () => new TelegramError(404, 'Not Found'),
  tooManyRequests: (retryAfter: number) =>
    new TelegramError(429, `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    }),

  cantParseJson: () => badRequest("can't parse JSON encoded request"),
  chatIdEmpty: () => badRequest('chat_id is empty'),
  chatNotFound: () => badRequest('chat not found'),
  userNotFound: () => badRequest('user not found'),
  invalidUserId: () => badRequest('invalid user_id specified'),
  messageIdMissing: () => badRequest('message identifier is not specified'),
  messageTextEmpty: () => badRequest('message text is empty'),
  messageTooLong: () => badRequest('message is too long'),
  cantParseReplyMarkup: () => badRequest("can't parse reply keyboard markup JSON object"),
  textButtonsUnallowed: () =>
    badRequest(
      "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    ),
  buttonDataInvalid: () => badRequest('BUTTON_DATA_INVALID'),
  cantParsePermissions: () => badRequest("can't parse permissions JSON object"),
  permissionsNotObject: () => badRequest('object expected as permissions'),
  cantParseReplyParameters: () => badRequest("can't parse reply parameters JSON object"),
  cantParseCommands: () => badRequest("can't parse commands JSON object"),
  cantParseScope: () => badRequest("can't parse BotCommandScope JSON object"),
  botCommandInvalid: () => badRequest('BOT_COMMAND_INVALID'),

  groupUpgraded: (migrateToChatId: number) =>
    new TelegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: migrateToChatId,
    }),
  botKicked: (type: ChatType) => forbidden(`bot was kicked from the ${chatKind(type)} chat`),
  botNotMember: (type: ChatType) => forbidden(`bot is not a member of the ${chatKind(type)} chat`),
  cantInitiateConversation: () => forbidden("bot can't initiate conversation with a user"),
  cantMessageBots: () => forbidden("bot can't send messages to bots"),
  memberListInaccessible: () => badRequest('member list is inaccessible'),
  noAdministratorsInPrivateChat: () =>
    badRequest('there are no administrators in the private chat'),
  statusUnchangeableInPrivateChat: () =>
    badRequest("chat member status can't be changed in private chats"),

  onlyForSupergroups: () => badRequest('method is available only for supergroups'),
  onlyForSupergroupsAndChannels: () =>
    badRequest('method is available for supergroup and channel chats only'),
  notEnoughRightsToRestrict: () =>
    badRequest('not enough rights to restrict/unrestrict chat member'),
  cantRemoveChatOwner: () => badRequest("can't remove chat owner"),
  userIsAdministrator: () => badRequest('user is an administrator of the chat'),

  notEnoughRightsToSendText: () =>
    badRequest('not enough rights to send text messages to the chat'),
  needAdminRightsInChannel: () => badRequest('need administrator rights in the channel chat'),
  replyMessageNotFound: () => badRequest('message to be replied not found'),
  messageToDeleteNotFound: () => badRequest('message to delete not found'),
  messageCantBeDeleted: () => badRequest("message can't be deleted"),
  messageToEditNotFound: () => badRequest('message to edit not found'),
  messageCantBeEdited: () => badRequest("message can't be edited"),
  messageNotModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ),
  queryIdInvalid: () =>
    badRequest('query is too old and response timeout expired or query ID is invalid'),

  notEnoughRightsForInviteLinks: () => badRequest('not enough rights to manage chat invite link'),
  memberLimitWithJoinRequest: () =>
    badRequest("member limit can't be specified for links requiring administrator approval"),
  joinRequestMissing: () => badRequest('HIDE_REQUESTER_MISSING'),
  userAlreadyParticipant: () => badRequest('USER_ALREADY_PARTICIPANT'),

  getUpdatesTerminated: () =>
    new TelegramError(
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
  getUpdatesTerminatedBySetWebhook: () =>
    new TelegramError(409, 'Conflict: terminated by setWebhook request'),
  webhookActive: () =>
    new TelegramError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ),
  invalidWebhookUrl: () => badRequest('invalid webhook URL specified'),
  secretTokenTooLong: () => badRequest('secret token is too long'),
  secretTokenUnallowedCharacters: () => badRequest('secret token contains unallowed characters'),
};
