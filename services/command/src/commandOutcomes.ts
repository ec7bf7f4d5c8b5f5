// Turns the gateway's report of a command's action (bot.action_executed whose action_id
// is a command id) into command.status_changed: succeeded, or failed with Telegram's
// error. Follows NZ_EVENTS with an ordered consumer from two hours back (JetStream's
// duplicate window), so outcomes reported while this replica was down are caught up and
// ones already recorded (by it or another replica) are dropped as duplicates.
import { DeliverPolicy, type JetStreamClient, type ConsumerMessages } from '@nats-io/jetstream';
import { decodeEvent, type EventBus, type Logger } from '@nezuko/kit';
import {
  CommandStatus,
  CommandStatusChangedSchema,
  create,
  type ActionExecuted,
  type CommandStatusChanged,
} from '@nezuko/proto';

const lookBackMs = 2 * 60 * 60 * 1000;

/** Pure: the status change a reported action means, or null when it is not a command's. */
export function outcomeOf(executed: ActionExecuted): CommandStatusChanged | null {
  if (!executed.actionId.startsWith('cmd:')) return null;
  return create(CommandStatusChangedSchema, {
    commandId: executed.actionId,
    status: executed.ok ? CommandStatus.SUCCEEDED : CommandStatus.FAILED,
    errorCode: executed.errorCode,
    description: executed.ok ? '' : executed.description,
    botId: executed.botId,
    groupId: executed.chatId,
  });
}

export interface OutcomeFollower {
  stop(): Promise<void>;
}

export async function followCommandOutcomes(
  js: JetStreamClient,
  bus: EventBus,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<OutcomeFollower> {
  const names = bus.names;
  const consumer = await js.consumers.get(names.stream('NZ_EVENTS'), {
    filter_subjects: names.subject('nz.evt.bot.*.action_executed'),
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(now().getTime() - lookBackMs).toISOString(),
  });
  const messages: ConsumerMessages = await consumer.consume();
  const done = (async () => {
    for await (const msg of messages) {
      try {
        const { envelope, event } = decodeEvent(msg.headers, msg.data);
        if (event.type !== 'bot.action_executed') continue;
        const change = outcomeOf(event.event);
        if (!change) continue;
        await bus.publish('command.status_changed', change, {
          id: `${change.commandId}:outcome`,
          causationId: envelope.id,
          correlationId: envelope.correlationId,
        });
      } catch (error) {
        logger.error({ err: error }, 'command outcome not recorded');
      }
    }
  })();
  return {
    async stop() {
      await messages.close();
      await done;
    },
  };
}
