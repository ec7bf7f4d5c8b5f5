// An admin's reverify_group (verify.recheck_requested, appended by the command service):
// re-checks every recently active member of the group through the reconciliation, so the
// cap per tick holds, and reports the command's outcome (command.status_changed, id
// `<command_id>:outcome`, as the command service does for gateway actions).
import type { EventBus, Logger } from '@nezuko/kit';
import {
  CommandStatus,
  CommandStatusChangedSchema,
  create,
  type Envelope,
  type EventOf,
} from '@nezuko/proto';
import { isProtected } from './domain/groups.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { Reconciliation } from './reconciliation.ts';

export interface ReverifyDeps {
  readonly groups: Pick<GroupFeed, 'get'>;
  readonly reconciliation: Pick<Reconciliation, 'recheckGroupNow'>;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly clock: () => number;
}

export function createReverify(deps: ReverifyDeps) {
  return {
    async onRequested(envelope: Envelope, request: EventOf<'verify.recheck_requested'>) {
      const group = deps.groups.get(request.groupId);
      const outcome = (status: CommandStatus, description: string) =>
        deps.bus.publish(
          'command.status_changed',
          create(CommandStatusChangedSchema, {
            commandId: request.commandId,
            status,
            description,
            botId: request.botId,
            groupId: request.groupId,
          }),
          {
            id: `${request.commandId}:outcome`,
            causationId: envelope.id,
            correlationId: envelope.correlationId,
          },
        );
      if (!group || !isProtected(group)) {
        await outcome(
          CommandStatus.FAILED,
          'the group is not protected (no linked channel, paused, or no bot): nothing to re-check',
        );
        return;
      }
      const { due, checked } = await deps.reconciliation.recheckGroupNow(group, deps.clock());
      deps.logger.info({ groupId: group.groupId, due, checked }, 'group re-verification started');
      await outcome(
        CommandStatus.SUCCEEDED,
        due === checked
          ? `${checked} recently active members re-checked`
          : `${checked} of ${due} recently active members re-checked; the rest follow with the reconciliation`,
      );
    },
  };
}

export type Reverify = ReturnType<typeof createReverify>;
