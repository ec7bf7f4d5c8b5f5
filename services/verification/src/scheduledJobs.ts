// What the scheduler's jobs do when due: delete an expired reply or prompt, escalate a
// prompt left unanswered past the group's verify timeout (kick, or ban when the group
// bans), post the one raid summary. A job made before its basic group became a supergroup
// acts on the group's new id.
import { anyoneVerifyData, joinButtons } from './domain/decide.ts';
import { actionsFor, channelName } from './domain/facts.ts';
import { isProtected } from './domain/groups.ts';
import { textsFor } from './domain/texts.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { MemberRecords } from './memberRecords.ts';
import type { Outbox } from './outbox.ts';
import type { PromptRegistry } from './promptRegistry.ts';
import type { Job } from './scheduler.ts';

export interface ScheduledJobsDeps {
  readonly groups: Pick<GroupFeed, 'get' | 'currentId'>;
  readonly prompts: PromptRegistry;
  readonly records: MemberRecords;
  readonly outbox: Outbox;
}

export function createScheduledJobs(deps: ScheduledJobsDeps): (job: Job) => Promise<void> {
  const { groups, prompts, records, outbox } = deps;
  return async (job) => {
    const cause = { id: job.id, correlationId: job.id };
    switch (job.kind) {
      case 'delete': {
        await outbox.actions(
          [actionsFor(job.id, job.botId, job.chatId).deleteMessage('delete', job.messageId)],
          cause,
        );
        return;
      }
      case 'verify_timeout': {
        const groupId = groups.currentId(job.groupId);
        const group = groups.get(groupId);
        const pending = await prompts.pending(groupId, job.userId);
        if (!isProtected(group) || pending?.eventId !== job.promptEventId) return;
        // Still unverified: escalate to removal (a ban when the group bans, else a kick).
        await outbox.actions(
          [
            actionsFor(job.id, group.botId, groupId).remove(
              job.userId,
              group.settings.failureAction !== 'ban',
            ),
            ...(pending.messageId !== '0'
              ? [
                  actionsFor(job.id, group.botId, pending.chatId).deleteMessage(
                    'delete_prompt',
                    pending.messageId,
                  ),
                ]
              : []),
          ],
          cause,
        );
        await records.forgetMuted(groupId, job.userId);
        await prompts.clear(groupId, job.userId);
        return;
      }
      case 'attack_summary': {
        const groupId = groups.currentId(job.groupId);
        const group = groups.get(groupId);
        const count = await records.takeAttacked(groupId);
        if (!isProtected(group) || count === 0) return;
        const texts = textsFor(group.settings.language);
        const act = actionsFor(job.id, group.botId, groupId);
        await outbox.actions(
          [
            act.reply(
              texts.attackSummary(count, group.channels.map(channelName).join(', ')),
              '0',
              [
                ...joinButtons(texts, group.channels),
                { text: texts.verifyButton, callbackData: anyoneVerifyData },
                // Not a command reply: it stays, its shared button is needed.
              ],
              'post',
            ),
          ],
          cause,
        );
        return;
      }
      default:
        return assertNever(job);
    }
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled job ${JSON.stringify(value)}`);
}
