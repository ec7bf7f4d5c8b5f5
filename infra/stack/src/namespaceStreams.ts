// Removes every stream and KV bucket of one namespace: the demo's clean slate at each
// start, and what end-to-end tests leave behind on a shared NATS.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export async function deleteNamespaceStreams(natsUrl: string, namespace: string): Promise<void> {
  if (namespace === '') throw new Error('refusing to delete the default namespace');
  const nc = await connect({ servers: natsUrl.split(','), name: 'nezuko-namespace-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    const ours = (name: string) =>
      name.startsWith(`${namespace}_`) || name.startsWith(`KV_${namespace}_`);
    for await (const name of jsm.streams.names()) {
      if (ours(name)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
