// Runs Nezuko's services as child processes: starts them with their env, shows a compact
// view of their JSON logs, waits for /readyz, and stops them all (SIGTERM, then SIGKILL
// after the drain budget) when asked. Used by `npm start` and the e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceSpec {
  readonly name: string;
  /** Script run with this Node (process.execPath). */
  readonly script: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Port whose /readyz says the service is ready; absent = no readiness wait. */
  readonly readyPort?: number;
}

export interface RunningService {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

export interface SupervisorOptions {
  /** Where each service's full log goes (one file per service). */
  readonly logDir: string;
  /** Lines shown on the console: 'warn' shows warn and above. 'none' shows nothing. */
  readonly consoleLevel: 'info' | 'warn' | 'none';
  readonly onUnexpectedExit?: (name: string, code: number | null) => void;
}

const levelRank: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export class Supervisor {
  readonly running = new Map<string, RunningService>();
  private stopping = false;
  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.options = options;
    mkdirSync(options.logDir, { recursive: true });
  }

  start(spec: ServiceSpec): RunningService {
    const child = spawn(process.execPath, [spec.script], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = createWriteStream(join(this.options.logDir, `${spec.name}.log`), { flags: 'a' });
    this.pipe(spec.name, child.stdout, file);
    this.pipe(spec.name, child.stderr, file);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => {
        file.end();
        if (!this.stopping && this.running.get(spec.name)?.child === child) {
          this.options.onUnexpectedExit?.(spec.name, code ?? (signal ? 128 : null));
        }
        resolve(code);
      });
    });
    const running = { spec, child, exited };
    this.running.set(spec.name, running);
    return running;
  }

  /** SIGKILL, as a crash would: no drain, no goodbye. */
  async kill(name: string): Promise<void> {
    const service = this.running.get(name);
    if (!service) return;
    this.running.delete(name);
    service.child.kill('SIGKILL');
    await service.exited;
  }

  async stop(name: string, timeoutMs = 12_000): Promise<number | null> {
    const service = this.running.get(name);
    if (!service) return null;
    this.running.delete(name);
    service.child.kill('SIGTERM');
    const timer = setTimeout(() => service.child.kill('SIGKILL'), timeoutMs);
    const code = await service.exited;
    clearTimeout(timer);
    return code;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.keys()].reverse().map((name) => this.stop(name)));
  }

  async waitReady(name: string, timeoutMs = 120_000): Promise<void> {
    const service = this.running.get(name);
    if (!service?.spec.readyPort) return;
    const url = `http://127.0.0.1:${service.spec.readyPort}/readyz`;
    const until = Date.now() + timeoutMs;
    let exitedEarly = false;
    void service.exited.then(() => (exitedEarly = true));
    for (;;) {
      if (exitedEarly) throw new Error(`${name} exited before becoming ready (see its log)`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`${name} not ready after ${timeoutMs} ms (${url})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private pipe(name: string, stream: NodeJS.ReadableStream, file: WriteStream) {
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => {
      file.write(`${line}\n`);
      this.show(name, line);
    });
  }

  private show(name: string, line: string) {
    if (this.options.consoleLevel === 'none') return;
    const min = levelRank[this.options.consoleLevel] ?? 30;
    let level = 'info';
    let text = line;
    try {
      const entry = JSON.parse(line) as {
        level?: string;
        msg?: string;
        err?: { message?: string };
      };
      level = entry.level ?? 'info';
      text = [entry.msg, entry.err?.message].filter(Boolean).join(': ');
    } catch {
      // not JSON: show as is
    }
    if ((levelRank[level] ?? 30) >= min) {
      process.stdout.write(`${name.padEnd(20)} ${level.padEnd(5)} ${text}\n`);
    }
  }
}
