// `node infra/stack/src/cli/bots.ts <command>` — the start of the `nezuko` operator CLI:
// bots are registered, disabled, enabled and deleted by appending events; every gateway
// replica follows them and starts or stops the bot without a restart.
//
//   register [--webhook <url>]  token from BOT_TOKEN or stdin; verified with getMe, sealed
//                       with NZ_TOKEN_KEYS (AES-256-GCM, key id kept) before it is stored;
//                       --webhook: the bot's own webhook base URL (else the gateways' default)
//   disable|enable|delete <botId> [reason]
//
// Env: NATS_URL, NZ_NAMESPACE, NZ_TOKEN_KEYS (register), TELEGRAM_API_ROOT (register).
import { createHash, randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  baseConfigSchema,
  createEventBus,
  createKeyring,
  maskSecrets,
  naming,
  parseConfig,
  tokenKeysSchema,
  type EventBus,
} from '@nezuko/kit';
import {
  ActorSchema,
  BotLifecycle,
  BotLifecycleChangedSchema,
  BotRegisteredSchema,
  create,
} from '@nezuko/proto';
import { z } from 'zod';

const tokenPattern = /^(\d+):[A-Za-z0-9_-]+$/;
const operator = create(ActorSchema, {
  who: { case: 'system', value: `cli:${process.env.USER ?? 'operator'}` },
});

const lifecycles = {
  disable: BotLifecycle.DISABLED,
  enable: BotLifecycle.ENABLED,
  delete: BotLifecycle.DELETED,
} as const;

export class CliError extends Error {
  override readonly name = 'CliError';
}

/** getMe with the token; Telegram's refusal is an error naming the cause, never the token. */
export async function verifyToken(apiRoot: string, token: string) {
  const response = await fetch(`${apiRoot}/bot${token}/getMe`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as {
    ok: boolean;
    description?: string;
    result?: { id: number; username: string; first_name: string };
  };
  if (!body.ok || !body.result)
    throw new CliError(`Telegram refused the token: ${body.description ?? response.status}`);
  return {
    botId: String(body.result.id),
    username: body.result.username,
    firstName: body.result.first_name,
  };
}

export async function registerBot(
  bus: EventBus,
  keys: ReadonlyMap<string, Buffer>,
  apiRoot: string,
  token: string,
  webhookBaseUrl = '',
) {
  if (webhookBaseUrl !== '' && !URL.canParse(webhookBaseUrl))
    throw new CliError(`--webhook must be a URL, got ${JSON.stringify(webhookBaseUrl)}`);
  if (!tokenPattern.test(token)) throw new CliError('expected a Bot API token "<id>:<secret>"');
  const bot = await verifyToken(apiRoot, token);
  const keyring = createKeyring(keys);
  // The same id convention as the gateway's own registration (src/bots/tokens.ts).
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 12);
  const id = `bot:${bot.botId}:registered:${keyring.activeKeyId}:${fingerprint}:${randomBytes(6).toString('hex')}`;
  await bus.publish(
    'bot.registered',
    create(BotRegisteredSchema, {
      ...bot,
      token: keyring.seal(token),
      registeredBy: operator,
      webhookBaseUrl,
    }),
    { id },
  );
  return bot;
}

export async function changeLifecycle(
  bus: EventBus,
  command: keyof typeof lifecycles,
  botId: string,
  reason: string,
) {
  if (!/^\d+$/.test(botId))
    throw new CliError(`expected a numeric bot id, got ${JSON.stringify(botId)}`);
  await bus.publish(
    'bot.lifecycle_changed',
    create(BotLifecycleChangedSchema, {
      botId,
      lifecycle: lifecycles[command],
      reason,
      changedBy: operator,
    }),
    { id: `bot:${botId}:${command}:${randomBytes(6).toString('hex')}` },
  );
}

async function main(args: string[]) {
  const [command, botId, ...rest] = args;
  const config = parseConfig(
    baseConfigSchema.extend({
      TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
      NZ_TOKEN_KEYS: tokenKeysSchema.optional(),
      BOT_TOKEN: z.string().optional(),
    }),
    process.env,
  );
  const nc = await connect({ servers: config.NATS_URL.split(','), name: 'nezuko-cli' });
  try {
    const bus = createEventBus(jetstream(nc), naming(config.NZ_NAMESPACE));
    if (command === 'register') {
      if (!config.NZ_TOKEN_KEYS)
        throw new CliError(
          'NZ_TOKEN_KEYS must be set (the same keys as the gateways) to seal the token',
        );
      const token = (config.BOT_TOKEN ?? (await text(process.stdin))).trim();
      const webhook = args[1] === '--webhook' ? (args[2] ?? '') : '';
      const bot = await registerBot(
        bus,
        config.NZ_TOKEN_KEYS,
        config.TELEGRAM_API_ROOT,
        token,
        webhook,
      );
      console.log(`registered @${bot.username} (${bot.botId})`);
    } else if (command === 'disable' || command === 'enable' || command === 'delete') {
      await changeLifecycle(bus, command, botId ?? '', rest.join(' '));
      console.log(`${command}d bot ${botId}`);
    } else {
      throw new CliError(
        'usage: bots.ts register [--webhook <url>] | disable <botId> | enable <botId> | delete <botId>',
      );
    }
  } finally {
    await nc.close();
  }
}

if (import.meta.main) {
  await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(maskSecrets(error instanceof CliError ? error.message : String(error)));
    process.exit(1);
  });
}
