// The bots this replica may run, and which of them it runs now. For every bot the registry
// says should run, the replica contends for the bot's lease (`bot.<botId>` in NZ_LEASES);
// while it holds the lease it runs the bot (polling, actions, look-ups), and it stops the
// bot the moment the lease is lost, the bot is disabled or deleted, or its token changes.
// Start and stop of one bot are serialized, so a quick lose-win-lose never overlaps runs.
import { contendForLease, type Keyring, type Lease, type Logger } from '@nezuko/kit';
import type { KV } from '@nats-io/kv';
import { TokenRefusedError, type BotRunner } from '../bot.ts';
import { shouldRun, type BotRegistry } from './registry.ts';
import { openToken } from './tokens.ts';

export interface FleetDeps {
  readonly kv: KV;
  readonly keyring: Keyring;
  readonly logger: Logger;
  /** Names this replica in the lease value. */
  readonly holder: string;
  readonly leaseMs: number;
  /** The env bot's token: used when its registration was sealed with a key now gone. */
  readonly envToken?: string;
  readonly createRunner: (token: string, webhookBaseUrl: string) => BotRunner;
  /** A bot this replica won could not start (e.g. Telegram refused its token). */
  readonly onStartFailed: (botId: string, reason: string) => void;
}

interface Member {
  readonly botId: string;
  readonly token: string;
  /** The bot's own webhook URL from its registration; '' = the gateway's default. */
  readonly webhookBaseUrl: string;
  readonly lease: Lease;
  runner: BotRunner | undefined;
  live: boolean;
  /** Start/stop of this bot, one after the other. */
  queue: Promise<void>;
  gone: boolean;
}

const restartDelayMs = 5000;

interface Wanted {
  readonly token: string;
  readonly webhookBaseUrl: string;
}

export interface Fleet {
  reconcile(registry: BotRegistry): void;
  /** Bots this replica runs now. */
  running(): string[];
  /** True once every queued start/stop finished. */
  settled(): Promise<void>;
  readonly checks: { bots: () => Promise<boolean> };
  stop(): Promise<void>;
}

export function createFleet(deps: FleetDeps): Fleet {
  const members = new Map<string, Member>();
  const failedTokens = new Set<string>();
  const unopenable = new Set<string>();
  const log = deps.logger.child({ component: 'fleet' });

  const enqueue = (member: Member, step: () => Promise<void>) => {
    member.queue = member.queue.then(step).catch((error: unknown) => {
      log.error({ err: error, botId: member.botId }, 'bot start/stop failed');
    });
  };

  const startRun = (member: Member) =>
    enqueue(member, async () => {
      if (member.gone || member.runner || !member.lease.held()) return;
      const runner = deps.createRunner(member.token, member.webhookBaseUrl);
      member.runner = runner;
      try {
        await runner.start();
        member.live = true;
      } catch (error) {
        member.runner = undefined;
        await runner.stop('start failed').catch(() => undefined);
        const reason = error instanceof Error ? error.message : String(error);
        deps.onStartFailed(member.botId, reason);
        if (error instanceof TokenRefusedError) {
          // Wait for a new registration (a new token) instead of retrying this one.
          failedTokens.add(member.token);
          retire(member, 'token refused');
        } else {
          // Something transient (NATS, Telegram); try again while the lease is ours.
          setTimeout(() => startRun(member), restartDelayMs).unref();
        }
      }
    });

  const stopRun = (member: Member, reason: string, quiet = false) =>
    enqueue(member, async () => {
      const runner = member.runner;
      member.runner = undefined;
      member.live = false;
      await runner?.stop(reason, { quiet });
    });

  const retire = (member: Member, reason = 'bot removed') => {
    if (member.gone) return;
    member.gone = true;
    members.delete(member.botId);
    stopRun(member, reason);
    // Release only after the runner stopped: the next holder must not poll alongside it.
    enqueue(member, () => member.lease.release());
  };

  const join = (botId: string, { token, webhookBaseUrl }: Wanted) => {
    const member: Member = {
      botId,
      token,
      webhookBaseUrl,
      runner: undefined,
      live: false,
      queue: Promise.resolve(),
      gone: false,
      lease: contendForLease({
        kv: deps.kv,
        key: `bot.${botId}`,
        holder: deps.holder,
        leaseMs: deps.leaseMs,
        logger: log.child({ botId }),
        onChange: (held, reason) =>
          held ? startRun(member) : stopRun(member, `lease lost: ${reason}`, true),
      }),
    };
    members.set(botId, member);
  };

  return {
    reconcile(registry) {
      const wanted = new Map<string, Wanted>();
      for (const record of registry.values()) {
        if (!shouldRun(record) || !record.registration) continue;
        const opened = openToken(record.registration.event, deps.keyring);
        let token = opened.ok ? opened.token : undefined;
        if (!token && deps.envToken?.startsWith(`${record.botId}:`)) token = deps.envToken;
        if (!token) {
          if (!opened.ok && !unopenable.has(record.botId)) {
            unopenable.add(record.botId);
            log.error(
              { botId: record.botId, reason: opened.reason },
              'cannot run a registered bot',
            );
          }
          continue;
        }
        unopenable.delete(record.botId);
        if (!failedTokens.has(token))
          wanted.set(record.botId, {
            token,
            webhookBaseUrl: record.registration.event.webhookBaseUrl,
          });
      }
      for (const member of [...members.values()]) {
        const want = wanted.get(member.botId);
        if (want?.token === member.token && want.webhookBaseUrl === member.webhookBaseUrl) continue;
        retire(member, want ? 'registration changed' : 'bot disabled or deleted');
      }
      for (const [botId, want] of wanted) if (!members.has(botId)) join(botId, want);
    },
    running: () => [...members.values()].filter((m) => m.live).map((m) => m.botId),
    async settled() {
      await Promise.all([...members.values()].map((m) => m.queue));
    },
    checks: {
      async bots() {
        for (const member of members.values()) {
          if (!member.runner) continue;
          for (const check of Object.values(member.runner.checks))
            if (!(await check())) return false;
        }
        return true;
      },
    },
    async stop() {
      const all = [...members.values()];
      for (const member of all) retire(member, 'shutdown');
      await Promise.all(all.map((m) => m.queue));
    },
  };
}
