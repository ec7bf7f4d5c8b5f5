// One bot's update queue, as the Bot API server keeps it: update ids increase, types the
// bot did not allow are dropped when produced, getUpdates confirms by offset and long-
// polls (one poller at a time: a newer getUpdates terminates the older with 409), and a
// webhook, when set, takes over delivery and forbids getUpdates.

import { botApiErrors } from '../errors.ts';
import { DEFAULT_ALLOWED_UPDATES } from '../state/routing.ts';
import { WebhookSender } from './webhook.ts';
import type { TelegramError } from '../errors.ts';
import type { UpdateType } from '../state/routing.ts';
import type { WebhookConfig, WebhookOptions } from './webhook.ts';

export type Update = { update_id: number } & Partial<Record<UpdateType, Record<string, unknown>>>;

export interface PollRequest {
  offset: number;
  limit: number;
  timeoutSeconds: number;
  /** Undefined keeps the bot's current setting. */
  allowedUpdates?: ReadonlySet<UpdateType>;
}

interface PendingPoll {
  limit: number;
  timer: NodeJS.Timeout;
  resolve: (updates: Update[]) => void;
  reject: (error: TelegramError) => void;
}

export class BotInbox {
  allowedUpdates: ReadonlySet<UpdateType> = DEFAULT_ALLOWED_UPDATES;
  private queue: Update[] = [];
  private nextUpdateId = 1;
  private pendingPoll: PendingPoll | undefined;
  private sender: WebhookSender | undefined;
  private readonly webhookOptions: WebhookOptions;

  constructor(webhookOptions: WebhookOptions) {
    this.webhookOptions = webhookOptions;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  get pending(): readonly Update[] {
    return this.queue;
  }

  get webhook(): WebhookSender | undefined {
    return this.sender;
  }

  deliver(type: UpdateType, payload: Record<string, unknown>): void {
    if (!this.allowedUpdates.has(type)) return;
    this.queue.push({ update_id: this.nextUpdateId++, [type]: payload });
    this.answerPendingPoll();
    this.sender?.kick();
  }

  setAllowedUpdates(allowed: ReadonlySet<UpdateType> | undefined): void {
    if (allowed !== undefined) this.allowedUpdates = allowed;
  }

  poll(request: PollRequest, signal: AbortSignal): Promise<Update[]> {
    if (this.sender) return Promise.reject(botApiErrors.webhookActive());
    this.setAllowedUpdates(request.allowedUpdates);
    this.terminatePendingPoll(botApiErrors.getUpdatesTerminated());
    this.confirmBefore(request.offset);
    if (this.queue.length > 0 || request.timeoutSeconds <= 0) {
      return Promise.resolve(this.queue.slice(0, request.limit));
    }
    if (signal.aborted) return Promise.resolve([]);
    return new Promise<Update[]>((resolve, reject) => {
      const settle = (): boolean => {
        if (this.pendingPoll !== poll) return false;
        clearTimeout(poll.timer);
        this.pendingPoll = undefined;
        signal.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = (): void => poll.resolve([]);
      const poll: PendingPoll = {
        limit: request.limit,
        timer: setTimeout(() => poll.resolve([]), request.timeoutSeconds * 1000),
        resolve: (updates) => {
          if (settle()) resolve(updates);
        },
        reject: (error) => {
          if (settle()) reject(error);
        },
      };
      this.pendingPoll = poll;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Answers a held getUpdates with nothing (server shutting down or reset). */
  releasePendingPoll(): void {
    this.pendingPoll?.resolve([]);
  }

  async setWebhook(
    config: WebhookConfig,
    dropPendingUpdates: boolean,
    allowedUpdates: ReadonlySet<UpdateType> | undefined,
  ): Promise<'Webhook was set' | 'Webhook is already set'> {
    this.setAllowedUpdates(allowedUpdates);
    const current = this.sender?.config;
    if (
      current !== undefined &&
      !dropPendingUpdates &&
      current.url === config.url &&
      current.secretToken === config.secretToken &&
      current.maxConnections === config.maxConnections
    ) {
      return 'Webhook is already set';
    }
    this.terminatePendingPoll(botApiErrors.getUpdatesTerminatedBySetWebhook());
    await this.sender?.stop();
    if (dropPendingUpdates) this.queue = [];
    this.sender = new WebhookSender(config, this.webhookSource(), this.webhookOptions);
    this.sender.kick();
    return 'Webhook was set';
  }

  async deleteWebhook(
    dropPendingUpdates: boolean,
  ): Promise<'Webhook was deleted' | 'Webhook is already deleted'> {
    if (dropPendingUpdates) this.queue = [];
    const sender = this.sender;
    this.sender = undefined;
    if (sender === undefined) return 'Webhook is already deleted';
    await sender.stop();
    return 'Webhook was deleted';
  }

  async shutdown(): Promise<void> {
    this.releasePendingPoll();
    const sender = this.sender;
    this.sender = undefined;
    await sender?.stop();
  }

  private webhookSource() {
    return {
      peek: () => this.queue[0],
      confirm: (updateId: number) => this.confirmBefore(updateId + 1),
    };
  }

  /** offset > 0 confirms every update before it; a negative offset keeps only the last -offset. */
  private confirmBefore(offset: number): void {
    if (offset > 0) this.queue = this.queue.filter((update) => update.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
  }

  private answerPendingPoll(): void {
    const poll = this.pendingPoll;
    if (poll && this.queue.length > 0) poll.resolve(this.queue.slice(0, poll.limit));
  }

  private terminatePendingPoll(error: TelegramError): void {
    this.pendingPoll?.reject(error);
  }
}
