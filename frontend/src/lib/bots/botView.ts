// How a bot reads on the Bots page, pure: its status badge, its uptime counted on in the
// browser between readings, and the token check the command API makes before it asks
// Telegram (services/command/src/routes/bots.ts).
import type { BotItem, BotLifecycle, BotStatus } from '../api/bots.ts';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

export interface StatusBadge {
  label: string;
  tone: Tone;
}

const statusBadges: Record<BotStatus, StatusBadge> = {
  running: { label: 'Running', tone: 'good' },
  stopped: { label: 'Stopped', tone: 'warn' },
  error: { label: 'Error', tone: 'bad' },
  unknown: { label: 'Starting', tone: 'neutral' },
};

const lifecycleBadges: Record<BotLifecycle, StatusBadge> = {
  enabled: { label: 'Active', tone: 'info' },
  disabled: { label: 'Inactive', tone: 'neutral' },
  deleted: { label: 'Deleted', tone: 'neutral' },
};

export const statusBadge = (status: BotStatus): StatusBadge => statusBadges[status];
export const lifecycleBadge = (lifecycle: BotLifecycle): StatusBadge => lifecycleBadges[lifecycle];

/**
 * Seconds the bot has been up now. A heartbeat carries the uptime at that moment, so it
 * counts on from the heartbeat (or, without one, from when the list was read) while the
 * bot runs; a bot that is not running has no uptime. A browser clock behind the server's
 * never makes it shrink below the reading.
 */
export function liveUptime(
  bot: Pick<BotItem, 'status' | 'uptime_seconds' | 'last_heartbeat_at'>,
  readAtMs: number,
  nowMs: number,
): number {
  if (bot.status !== 'running') return 0;
  const heartbeat = bot.last_heartbeat_at ? Date.parse(bot.last_heartbeat_at) : Number.NaN;
  const since = Number.isNaN(heartbeat) ? readAtMs : heartbeat;
  return bot.uptime_seconds + Math.max(0, (nowMs - since) / 1_000);
}

/** The name to show: "@username", else the first name, else the id. */
export function botName(bot: Pick<BotItem, 'bot_id' | 'username' | 'first_name'>): string {
  if (bot.username) return `@${bot.username}`;
  return bot.first_name?.trim() || `Bot ${bot.bot_id}`;
}

const tokenPattern = /^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/;

/** Null when `token` looks like a bot token from @BotFather, else what is wrong with it. */
export function checkToken(token: string): string | null {
  const trimmed = token.trim();
  if (trimmed === '') return 'Paste the token @BotFather gave you.';
  if (!tokenPattern.test(trimmed))
    return 'That is not a bot token: it looks like 123456789:AAE… (digits, a colon, then letters).';
  return null;
}
