// The "add a channel" form on the channels page: POST /api/v1/channels links one channel
// to one or more groups at once. Same checks as linking from a group, plus at least one group.
import { linkBody, type LinkBody, type LinkDraft, type LinkErrors } from './linkForm.ts';

export type AddChannelErrors = LinkErrors & { group_ids?: string };

export function addChannelBody(
  draft: LinkDraft,
  groupIds: readonly string[],
):
  { ok: true; body: LinkBody & { group_ids: string[] } } | { ok: false; errors: AddChannelErrors } {
  const link = linkBody(draft, null);
  const errors: AddChannelErrors = link.ok ? {} : { ...link.errors };
  if (groupIds.length === 0) errors.group_ids = 'choose at least one group';
  else if (groupIds.length > 50) errors.group_ids = 'choose at most 50 groups';
  if (!link.ok || errors.group_ids) return { ok: false, errors };
  return { ok: true, body: { ...link.body, group_ids: [...groupIds] } };
}
