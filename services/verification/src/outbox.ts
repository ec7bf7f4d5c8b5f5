// Appending what a decision concluded: Telegram actions, group events and decisions,
// each with an id derived from the causing event so a redelivery re-derives the same ids
// and JetStream drops the duplicates.
import type { EventBus } from '@nezuko/kit';
import type { EventOf, EventType, TelegramAction } from '@nezuko/proto';
import type { GroupEventToAppend } from './domain/commands.ts';
import type { GroupFeed } from './groupFeed.ts';

/** The causing event as far as derived ids and tracing need it. */
export interface Cause {
  readonly id: string;
  readonly correlationId: string;
}

/** How long a command waits for its own group event to reach the in-memory configuration. */
const ownEventWaitMs = 2000;

export function createOutbox(bus: EventBus, groups: Pick<GroupFeed, 'waitFor'>) {
  return {
    async actions(actions: readonly TelegramAction[], cause: Cause) {
      for (const action of actions) {
        await bus.publishAction(action, {
          id: action.actionId,
          causationId: cause.id,
          correlationId: cause.correlationId,
        });
      }
    },
    async event<T extends EventType>(type: T, event: EventOf<T>, what: string, cause: Cause) {
      return bus.publish(type, event, {
        id: `${cause.id}:${what}`,
        causationId: cause.id,
        correlationId: cause.correlationId,
      });
    },
    /**
     * Appends group events and waits until this replica's configuration holds them. A
     * settings change is stored only while `settingsSequence` is still the group's last one
     * (else WrongLastSequenceError, nothing stored): it was decided from those settings.
     */
    async groupEvents(
      events: readonly GroupEventToAppend[],
      cause: Cause,
      settingsSequence?: number,
    ) {
      let last = 0;
      for (const { what, event } of events) {
        const stored = await bus.publish(event.type, event.event, {
          id: `${cause.id}:${what}`,
          causationId: cause.id,
          correlationId: cause.correlationId,
          ...(event.type === 'group.settings_changed' && settingsSequence !== undefined
            ? { expectedLastSubjectSequence: settingsSequence }
            : {}),
        });
        last = Math.max(last, stored.seq);
      }
      // Members who act right after the reply must meet the new configuration.
      if (last > 0) await groups.waitFor(last, ownEventWaitMs);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
