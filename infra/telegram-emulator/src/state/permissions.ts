// Chat permissions and administrator rights: their defaults, how a Bot API request is
// read into them (mirroring tdlib/telegram-bot-api, implications included), how they
// compare, and their Bot API JSON.

export const PERMISSION_KEYS = [
  'can_send_messages',
  'can_send_audios',
  'can_send_documents',
  'can_send_photos',
  'can_send_videos',
  'can_send_video_notes',
  'can_send_voice_notes',
  'can_send_polls',
  'can_send_other_messages',
  'can_add_web_page_previews',
  'can_react_to_messages',
  'can_edit_tag',
  'can_change_info',
  'can_invite_users',
  'can_pin_messages',
  'can_manage_topics',
] as const;

export type PermissionKey = (typeof PERMISSION_KEYS)[number];
export type ChatPermissions = Record<PermissionKey, boolean>;

const MEDIA_KEYS = [
  'can_send_audios',
  'can_send_documents',
  'can_send_photos',
  'can_send_videos',
  'can_send_video_notes',
  'can_send_voice_notes',
] as const satisfies readonly PermissionKey[];

export const ADMIN_RIGHT_KEYS = [
  'can_manage_chat',
  'can_change_info',
  'can_post_messages',
  'can_edit_messages',
  'can_delete_messages',
  'can_invite_users',
  'can_restrict_members',
  'can_pin_messages',
  'can_manage_topics',
  'can_promote_members',
  'can_manage_video_chats',
  'can_post_stories',
  'can_edit_stories',
  'can_delete_stories',
  'can_manage_direct_messages',
  'can_manage_tags',
  'is_anonymous',
] as const;

export type AdminRightKey = (typeof ADMIN_RIGHT_KEYS)[number];
export type AdministratorRights = Record<AdminRightKey, boolean>;

/** A new supergroup's defaults: members may send anything and add users, not pin or edit info. */
export function defaultChatPermissions(): ChatPermissions {
  return {
    can_send_messages: true,
    can_send_audios: true,
    can_send_documents: true,
    can_send_photos: true,
    can_send_videos: true,
    can_send_video_notes: true,
    can_send_voice_notes: true,
    can_send_polls: true,
    can_send_other_messages: true,
    can_add_web_page_previews: true,
    can_react_to_messages: true,
    can_edit_tag: false,
    can_change_info: false,
    can_invite_users: true,
    can_pin_messages: false,
    can_manage_topics: false,
  };
}

export function noPermissions(): ChatPermissions {
  return Object.fromEntries(PERMISSION_KEYS.map((key) => [key, false])) as ChatPermissions;
}

export class PermissionsParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionsParseError';
  }
}

function optionalBool(source: Record<string, unknown>, key: string): boolean {
  const value = source[key];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new PermissionsParseError(`Field "${key}" must be of type Boolean`);
}

/**
 * Reads a ChatPermissions object the way the Bot API server does: omitted fields are
 * false, the legacy can_send_media_messages still works, and unless permissions are
 * independent, other-messages/link-previews imply every media permission and text,
 * and polls imply text.
 */
export function readRequestedPermissions(
  source: Record<string, unknown>,
  useIndependentChatPermissions: boolean,
): ChatPermissions {
  const has = (key: string): boolean => Object.hasOwn(source, key);
  const result = noPermissions();
  result.can_send_messages = optionalBool(source, 'can_send_messages');
  result.can_send_polls = optionalBool(source, 'can_send_polls');
  result.can_send_other_messages = optionalBool(source, 'can_send_other_messages');
  result.can_add_web_page_previews = optionalBool(source, 'can_add_web_page_previews');
  result.can_change_info = optionalBool(source, 'can_change_info');
  result.can_invite_users = optionalBool(source, 'can_invite_users');
  result.can_pin_messages = optionalBool(source, 'can_pin_messages');
  result.can_manage_topics = has('can_manage_topics')
    ? optionalBool(source, 'can_manage_topics')
    : result.can_pin_messages;
  if (MEDIA_KEYS.some(has)) {
    for (const key of MEDIA_KEYS) result[key] = optionalBool(source, key);
  } else {
    const canSendMedia = optionalBool(source, 'can_send_media_messages');
    for (const key of MEDIA_KEYS) result[key] = canSendMedia;
    if (canSendMedia && !useIndependentChatPermissions) result.can_send_messages = true;
  }
  result.can_edit_tag = has('can_edit_tag')
    ? optionalBool(source, 'can_edit_tag')
    : result.can_pin_messages;
  result.can_react_to_messages = has('can_react_to_messages')
    ? optionalBool(source, 'can_react_to_messages')
    : result.can_send_messages;
  if (
    (result.can_send_other_messages || result.can_add_web_page_previews) &&
    !useIndependentChatPermissions
  ) {
    for (const key of MEDIA_KEYS) result[key] = true;
    result.can_send_messages = true;
  }
  if (result.can_send_polls && !useIndependentChatPermissions) result.can_send_messages = true;
  return result;
}

/** True when `granted` allows everything `baseline` allows. */
export function coversPermissions(granted: ChatPermissions, baseline: ChatPermissions): boolean {
  return PERMISSION_KEYS.every((key) => granted[key] || !baseline[key]);
}

/** ChatPermissions as the Bot API renders them (with the legacy can_send_media_messages). */
export function permissionsJson(permissions: ChatPermissions): Record<string, boolean> {
  const canSendMedia = MEDIA_KEYS.some((key) => permissions[key]);
  const json: Record<string, boolean> = { can_send_messages: permissions.can_send_messages };
  json.can_send_media_messages = canSendMedia;
  for (const key of PERMISSION_KEYS) {
    if (key !== 'can_send_messages') json[key] = permissions[key];
  }
  return json;
}

export function noAdministratorRights(): AdministratorRights {
  return Object.fromEntries(ADMIN_RIGHT_KEYS.map((key) => [key, false])) as AdministratorRights;
}

/** What promoting someone in the app grants by default: everything but promoting others and anonymity. */
export function defaultAdministratorRights(): AdministratorRights {
  const rights = Object.fromEntries(
    ADMIN_RIGHT_KEYS.map((key) => [key, true]),
  ) as AdministratorRights;
  rights.can_promote_members = false;
  rights.is_anonymous = false;
  return rights;
}

/** Rights as rendered in a ChatMemberAdministrator for a chat of that type. */
export function administratorRightsJson(
  rights: AdministratorRights,
  chatType: 'group' | 'supergroup' | 'channel',
): Record<string, boolean> {
  const json: Record<string, boolean> = {
    can_manage_chat: rights.can_manage_chat,
    can_change_info: rights.can_change_info,
  };
  if (chatType === 'channel') {
    json.can_post_messages = rights.can_post_messages;
    json.can_edit_messages = rights.can_edit_messages;
  }
  json.can_delete_messages = rights.can_delete_messages;
  json.can_invite_users = rights.can_invite_users;
  json.can_restrict_members = rights.can_restrict_members;
  if (chatType !== 'channel') json.can_pin_messages = rights.can_pin_messages;
  if (chatType === 'supergroup') json.can_manage_topics = rights.can_manage_topics;
  json.can_promote_members = rights.can_promote_members;
  json.can_manage_video_chats = rights.can_manage_video_chats;
  json.can_post_stories = rights.can_post_stories;
  json.can_edit_stories = rights.can_edit_stories;
  json.can_delete_stories = rights.can_delete_stories;
  if (chatType === 'channel') json.can_manage_direct_messages = rights.can_manage_direct_messages;
  if (chatType !== 'channel') json.can_manage_tags = rights.can_manage_tags;
  json.is_anonymous = rights.is_anonymous;
  json.can_manage_voice_chats = rights.can_manage_video_chats;
  return json;
}
