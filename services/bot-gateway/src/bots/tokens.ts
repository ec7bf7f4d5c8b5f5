// Bot tokens in the event stream are sealed with AES-256-GCM (key id in the sealed value,
// so keys rotate: `NZ_TOKEN_KEYS=new:...,old:...` seals with the first and opens with
// either). Only the gateway opens them. Without keys (demo, dev) the gateway makes an
// ephemeral key: its own env bot works, but tokens it sealed cannot be opened after a
// restart and bots registered by the CLI cannot be opened at all, which it says once.
import { createHash, randomBytes } from 'node:crypto';
import { createKeyring, type Keyring, type Logger } from '@nezuko/kit';
import { BotRegisteredSchema, create, type Actor, type BotRegistered } from '@nezuko/proto';

export function gatewayKeyring(
  keys: ReadonlyMap<string, Buffer> | undefined,
  logger: Logger,
): Keyring {
  if (keys) return createKeyring(keys);
  logger.warn(
    'NZ_TOKEN_KEYS is not set: bot tokens are sealed with an ephemeral key; tokens in the ' +
      'stream cannot be opened after a restart (only BOT_TOKEN keeps working). Set ' +
      'NZ_TOKEN_KEYS="<id>:<base64 of 32 bytes>" to run registered bots.',
  );
  return createKeyring(new Map([[`ephemeral-${randomBytes(4).toString('hex')}`, randomBytes(32)]]));
}

export interface IdentifiedBot {
  readonly botId: string;
  readonly username: string;
  readonly firstName: string;
}

/**
 * The registration of a bot whose token getMe accepted. Each registration is its own event
 * (a registration after `deleted` must count), so the id ends in a nonce; retrying the
 * publish of one registration reuses it and is stored once.
 */
export function registrationOf(
  bot: IdentifiedBot,
  token: string,
  keyring: Keyring,
  registeredBy: Actor,
): { event: BotRegistered; id: string } {
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 12);
  const nonce = randomBytes(6).toString('hex');
  return {
    event: create(BotRegisteredSchema, {
      botId: bot.botId,
      username: bot.username,
      firstName: bot.firstName,
      token: keyring.seal(token),
      registeredBy,
    }),
    id: `bot:${bot.botId}:registered:${keyring.activeKeyId}:${fingerprint}:${nonce}`,
  };
}

/** The token of a registration, or why it cannot be opened (never the token itself). */
export function openToken(
  event: BotRegistered,
  keyring: Keyring,
): { ok: true; token: string } | { ok: false; reason: string } {
  const sealed = event.token;
  if (!sealed) return { ok: false, reason: 'the registration carries no token' };
  try {
    const token = keyring.open(sealed);
    if (!token.startsWith(`${event.botId}:`))
      return { ok: false, reason: 'the token does not belong to this bot' };
    return { ok: true, token };
  } catch {
    return { ok: false, reason: `cannot open the token (key id ${sealed.keyId})` };
  }
}
