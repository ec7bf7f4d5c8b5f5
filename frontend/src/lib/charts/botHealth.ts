// How a bot's health reads on the dashboard: its name, a one-word state and its columns
// (the table on the page and the CSV share them).
import type { BotHealthItem } from '../api/analytics.ts';
import type { CsvColumn } from './csv.ts';

export function botName(bot: Pick<BotHealthItem, 'bot_id' | 'username' | 'first_name'>): string {
  if (bot.username) return `@${bot.username}`;
  return bot.first_name ?? `Bot ${bot.bot_id}`;
}

export type HealthTone = 'good' | 'warn' | 'bad';

/** Healthy bots are running and enabled; a disabled bot is expected to be stopped. */
export function healthOf(bot: BotHealthItem): { tone: HealthTone; label: string } {
  if (bot.healthy) return { tone: 'good', label: 'Healthy' };
  if (bot.lifecycle !== 'enabled') return { tone: 'warn', label: capitalise(bot.lifecycle) };
  return { tone: 'bad', label: capitalise(bot.status) };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const botHealthColumns: CsvColumn<BotHealthItem>[] = [
  { label: 'Bot id', value: (b) => b.bot_id },
  { label: 'Bot', value: botName },
  { label: 'Health', value: (b) => healthOf(b).label },
  { label: 'Status', value: (b) => b.status },
  { label: 'Lifecycle', value: (b) => b.lifecycle },
  { label: 'Uptime (s)', value: (b) => b.uptime_seconds },
  { label: 'Groups', value: (b) => b.groups },
  { label: 'API calls', value: (b) => b.api_calls },
  { label: 'API error rate (%)', value: (b) => b.api_error_rate },
  { label: 'Checks', value: (b) => b.decisions },
  { label: 'Check errors', value: (b) => b.decision_errors },
  { label: 'Last error', value: (b) => b.last_error },
];
