// The one Telegram call the command service makes: getMe, to check a bot token and learn
// the bot's identity before it is stored. The token goes only into the request URL; it
// never appears in an error, a log line or a response.
import { z } from 'zod';
import { BadRequestError, UpstreamError } from './errors.ts';

export interface BotIdentity {
  readonly id: string;
  readonly username: string;
  readonly firstName: string;
  readonly canJoinGroups: boolean;
}

export interface BotIdentityClient {
  getMe(token: string): Promise<BotIdentity>;
}

const getMeAnswer = z.union([
  z.object({
    ok: z.literal(true),
    result: z.object({
      id: z.number().int(),
      is_bot: z.boolean(),
      first_name: z.string(),
      username: z.string().optional(),
      can_join_groups: z.boolean().optional(),
    }),
  }),
  z.object({ ok: z.literal(false), error_code: z.number(), description: z.string() }),
]);

export function telegramBotIdentity(apiRoot: string, timeoutMs = 10_000): BotIdentityClient {
  const root = apiRoot.replace(/\/+$/, '');
  return {
    async getMe(token) {
      let response: Response;
      try {
        response = await fetch(`${root}/bot${token}/getMe`, {
          method: 'POST',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        throw new UpstreamError('Telegram did not answer; try again');
      }
      const parsed = getMeAnswer.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new UpstreamError('Telegram answered something unexpected');
      const answer = parsed.data;
      if (!answer.ok) {
        // 401/404: the token is wrong or revoked. Telegram's description never contains it.
        if (answer.error_code === 401 || answer.error_code === 404)
          throw new BadRequestError('Telegram does not accept this bot token', 'token');
        throw new UpstreamError(`Telegram refused getMe: ${answer.description}`);
      }
      const bot = answer.result;
      return {
        id: String(bot.id),
        username: bot.username ?? '',
        firstName: bot.first_name,
        canJoinGroups: bot.can_join_groups ?? false,
      };
    },
  };
}
