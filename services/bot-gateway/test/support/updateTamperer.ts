// A pass-through HTTP proxy in front of the Telegram emulator that can slip extra raw
// updates into the next non-empty getUpdates answer: the emulator only produces valid
// updates, and the gateway must survive the ones Telegram (or a bug) might send.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpdateTamperer {
  readonly url: string;
  /** The next getUpdates answer with updates gets these in front of them. */
  injectBeforeNextBatch(updates: (firstRealUpdateId: number) => unknown[]): void;
  close(): Promise<void>;
}

export async function startUpdateTamperer(target: string): Promise<UpdateTamperer> {
  let pending: ((firstRealUpdateId: number) => unknown[]) | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        ...(body.length > 0 ? { body } : {}),
      });
      let text = await upstream.text();
      if (pending && /\/getUpdates$/i.test(req.url ?? '')) {
        const answer = JSON.parse(text) as { ok: boolean; result?: { update_id: number }[] };
        const first = answer.result?.[0];
        if (answer.ok && first) {
          answer.result = [
            ...(pending(first.update_id) as { update_id: number }[]),
            ...(answer.result ?? []),
          ];
          pending = undefined;
          text = JSON.stringify(answer);
        }
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injectBeforeNextBatch(updates) {
      pending = updates;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
