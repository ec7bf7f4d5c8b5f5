// Leases in a NATS KV bucket: at most one holder per key (e.g. the replica polling a bot),
// taken over within about `leaseMs` when the holder stops renewing. Works on nats-server
// 2.9 (no per-key TTL): the holder renews by a revision-checked `update`; a contender
// that sees the same revision for `leaseMs` of its own clock takes over with an `update`
// on that revision, so clocks of different machines never need to agree. Every write is
// conditional on the revision last seen, so two contenders can never both win.
import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from '../logger.ts';

export interface LeaseOptions {
  readonly kv: KV;
  readonly key: string;
  /** Written as the value; names the holder in logs and for operators. */
  readonly holder: string;
  readonly leaseMs: number;
  /** How often to renew or look; a quarter of the lease by default. */
  readonly checkEveryMs?: number;
  readonly logger: Logger;
  /** Called with true when the lease is won, false when it is lost or could not be renewed. */
  readonly onChange: (held: boolean, reason: string) => void;
  readonly now?: () => number;
}

export interface Lease {
  held(): boolean;
  /** Stops contending; deletes the key when held so another contender takes over at once. */
  release(): Promise<void>;
}

export function contendForLease(options: LeaseOptions): Lease {
  const { kv, key, holder, leaseMs, logger } = options;
  const now = options.now ?? Date.now;
  const checkEveryMs = options.checkEveryMs ?? Math.max(100, Math.floor(leaseMs / 4));
  const value = new TextEncoder().encode(holder);
  let held = false;
  let revision = 0;
  let renewedAt = 0;
  let seen: { revision: number; since: number } | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const change = (next: boolean, reason: string) => {
    if (held === next) return;
    held = next;
    logger.info({ lease: key, held: next, reason }, next ? 'lease won' : 'lease lost');
    options.onChange(next, reason);
  };

  const renew = async () => {
    try {
      revision = await kv.update(key, value, revision);
      renewedAt = now();
    } catch (error) {
      if (isWrongRevision(error)) {
        change(false, 'taken over by another holder');
        return;
      }
      // Stop acting before a contender may take over (it waits a whole lease).
      if (now() - renewedAt > leaseMs * 0.75) change(false, 'could not renew the lease');
      logger.warn({ err: error, lease: key }, 'lease renewal failed');
    }
  };

  const contend = async () => {
    try {
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT') {
        revision = await kv.create(key, value);
      } else if (seen?.revision !== entry.revision) {
        seen = { revision: entry.revision, since: now() };
        return;
      } else if (now() - seen.since >= leaseMs) {
        revision = await kv.update(key, value, entry.revision);
      } else {
        return;
      }
      renewedAt = now();
      seen = undefined;
      change(true, entry ? 'the holder stopped renewing' : 'free');
    } catch (error) {
      if (!isWrongRevision(error)) logger.warn({ err: error, lease: key }, 'lease check failed');
    }
  };

  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (held ? renew() : contend()).finally(() => {
      if (!stopped) timer = setTimeout(tick, checkEveryMs);
    });
  };
  tick();

  return {
    held: () => held,
    async release() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (!held) return;
      held = false;
      await kv
        .delete(key, { previousSeq: revision })
        .catch((error: unknown) =>
          logger.warn({ err: error, lease: key }, 'could not release the lease'),
        );
    },
  };
}

/** Opens the bucket created by the setup step; a missing one is an error naming the fix. */
export async function openLeaseBucket(js: JetStreamClient, bucket: string): Promise<KV> {
  const jsm = await js.jetstreamManager();
  try {
    await jsm.streams.info(`KV_${bucket}`);
  } catch (error) {
    throw new Error(`KV bucket ${bucket} is missing: run the setup step (npm run setup)`, {
      cause: error,
    });
  }
  return new Kvm(js).open(bucket);
}

function isWrongRevision(error: unknown): boolean {
  const e = error as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return (
    e.api_error?.err_code === 10071 ||
    e.code === 10071 ||
    /wrong last sequence|key exists/i.test(e.message ?? '')
  );
}
