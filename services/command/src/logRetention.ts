// The operator's "keep logs for N days" setting, applied where the logs live: the max age
// of the NZ_LOGS stream (JetStream then expires older records itself).
import type { JetStreamManager } from '@nats-io/jetstream';
import type { GlobalSettings, Naming } from '@nezuko/kit';

const NANOS_PER_DAY = 86_400n * 1_000_000_000n;

export async function applyLogRetention(
  jsm: JetStreamManager,
  names: Naming,
  settings: GlobalSettings,
): Promise<void> {
  const name = names.stream('NZ_LOGS');
  const info = await jsm.streams.info(name);
  const maxAge = Number(BigInt(settings.retention.logs_days) * NANOS_PER_DAY);
  if (info.config.max_age === maxAge) return;
  await jsm.streams.update(name, { ...info.config, max_age: maxAge });
}
