// The "link a channel" form: the POST /api/v1/groups/{id}/channels body, checked the way
// the command API checks it (chat ids are negative integers, usernames 5–32 letters,
// digits or _).
export interface LinkDraft {
  channel_id: string;
  username: string;
  title: string;
}

export type LinkErrors = Partial<Record<keyof LinkDraft, string>>;

export interface LinkBody {
  channel_id: string;
  username?: string;
  title?: string;
  invite_link?: string;
  bot_id?: string;
}

export function linkBody(
  draft: LinkDraft,
  botId: string | null,
): { ok: true; body: LinkBody } | { ok: false; errors: LinkErrors } {
  const errors: LinkErrors = {};
  const channelId = draft.channel_id.trim();
  const username = draft.username.trim().replace(/^@/, '');
  const title = draft.title.trim();
  if (!/^-[1-9]\d{0,15}$/.test(channelId))
    errors.channel_id = 'must be a channel id, a negative number like -1001234567890';
  if (username !== '' && !/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(username))
    errors.username = 'must be a Telegram username (5–32 letters, digits or _)';
  if (title.length > 255) errors.title = 'must be at most 255 characters';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body: LinkBody = { channel_id: channelId };
  if (username) {
    body.username = username;
    body.invite_link = `https://t.me/${username}`;
  }
  if (title) body.title = title;
  if (botId) body.bot_id = botId;
  return { ok: true, body };
}
