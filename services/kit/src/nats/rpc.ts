// Request-reply over core NATS with protobuf bodies. Telegram errors travel inside the
// reply (they are answers); a missing responder or a timeout is a transport failure.
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { fromBinary, toBinary } from '@nezuko/proto';
import type { Logger } from '../logger.ts';
import type { Naming } from './naming.ts';
import { extractTraceContext, injectTraceContext } from './tracing.ts';
import { context } from '@opentelemetry/api';
import { headers as natsHeaders } from '@nats-io/transport-node';

export class RpcUnavailableError extends Error {
  override readonly name = 'RpcUnavailableError';
}

export async function request<Req extends DescMessage, Rep extends DescMessage>(
  nc: NatsConnection,
  names: Naming,
  subject: string,
  reqSchema: Req,
  request: MessageShape<Req>,
  repSchema: Rep,
  timeoutMs = 5000,
): Promise<MessageShape<Rep>> {
  const hdrs = natsHeaders();
  injectTraceContext(hdrs);
  try {
    const reply = await nc.request(names.subject(subject), toBinary(reqSchema, request), {
      timeout: timeoutMs,
      headers: hdrs,
    });
    return fromBinary(repSchema, reply.data);
  } catch (error) {
    throw new RpcUnavailableError(`${subject}: ${(error as Error).message}`, { cause: error });
  }
}

export function serve<Req extends DescMessage, Rep extends DescMessage>(
  nc: NatsConnection,
  names: Naming,
  subject: string,
  reqSchema: Req,
  repSchema: Rep,
  handler: (request: MessageShape<Req>) => Promise<MessageShape<Rep>>,
  logger: Logger,
): Subscription {
  return nc.subscribe(names.subject(subject), {
    queue: 'rpc',
    callback: (error, msg) => {
      if (error) {
        logger.error({ err: error, subject }, 'rpc subscription error');
        return;
      }
      void (async () => {
        try {
          const req = fromBinary(reqSchema, msg.data);
          const rep = await context.with(extractTraceContext(msg.headers), () => handler(req));
          msg.respond(toBinary(repSchema, rep));
        } catch (err) {
          logger.error({ err, subject }, 'rpc handler failed');
        }
      })();
    },
  });
}
