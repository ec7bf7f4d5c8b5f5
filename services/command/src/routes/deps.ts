// What the route handlers need besides the request: the service's own tables, the login
// policy, Telegram (getMe only), the token keyring and a view of the event store.
import type { GlobalSettings, Keyring } from '@nezuko/kit';
import type { Kysely } from 'kysely';
import type { CommandDatabase } from '../accounts/schema.ts';
import type { LoginThrottle } from '../accounts/loginThrottle.ts';
import type { BotIdentityClient } from '../telegram.ts';
import type { EventStoreView } from '../eventStore.ts';

export interface LoginPolicy {
  /** Wrong passwords in a row that lock the account. */
  readonly maxFailures: number;
  readonly lockMinutes: number;
  readonly sessionTtlHours: number;
}

export interface RouteDeps {
  readonly db: Kysely<CommandDatabase>;
  readonly loginThrottle: LoginThrottle;
  readonly loginPolicy: LoginPolicy;
  readonly telegram: BotIdentityClient;
  /** Seals bot tokens; null when NZ_TOKEN_KEYS is not configured (bots cannot be added). */
  readonly keyring: Keyring | null;
  readonly events: EventStoreView;
  /** Hands the shared settings to the services that apply them (NZ_CONFIG). */
  readonly publishSettings: (settings: GlobalSettings) => Promise<void>;
  /** Lets the webhook test call plain-http URLs (local development and tests only). */
  readonly allowInsecureWebhooks?: boolean;
  /** The login bot's token for the Telegram Login Widget; unset = widget login off. */
  readonly telegramLoginBotToken?: string;
}
