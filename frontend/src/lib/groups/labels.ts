// How groups and channels are named on the dashboard when Telegram gave no title.
import type { LinkedChannel } from '../api/groups.ts';

export const groupLabel = (g: { title: string | null; group_id: string }): string =>
  g.title || `Group ${g.group_id}`;

export const channelLabel = (
  c: Pick<LinkedChannel, 'title' | 'username' | 'channel_id'>,
): string => (c.username ? `@${c.username}` : c.title || `Channel ${c.channel_id}`);
