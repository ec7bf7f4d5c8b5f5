// Runs the emulator as a process: PORT (default 8081) and HOST (default 127.0.0.1),
// JSON logs, and a clean shutdown on SIGTERM/SIGINT.

import { createEmulator } from './app.ts';

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 8081;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`PORT must be an integer between 0 and 65535, got "${raw}"\n`);
    process.exit(1);
  }
  return port;
}

const port = portFromEnv(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
const emulator = createEmulator({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  emulator.app.log.info({ signal }, 'shutting down');
  const deadline = setTimeout(() => process.exit(1), 10_000);
  deadline.unref();
  await emulator.close();
  process.exit(0);
}

process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));

const url = await emulator.listen({ port, host });
emulator.app.log.info({ url }, `Telegram Bot API emulator listening; use TELEGRAM_API_ROOT=${url}`);
