// The inboxes of all bots: routed updates are dropped into the right one; shutdown and
// reset release held long polls and stop webhook deliveries so no request or timer is
// left behind.

import { BotInbox } from './botInbox.ts';
import type { RoutedUpdate } from '../state/routing.ts';
import type { WebhookOptions } from './webhook.ts';

export class UpdateHub {
  private readonly inboxes = new Map<number, BotInbox>();
  private readonly webhookOptions: (botId: number) => WebhookOptions;

  constructor(webhookOptions: (botId: number) => WebhookOptions) {
    this.webhookOptions = webhookOptions;
  }

  inbox(botId: number): BotInbox {
    let inbox = this.inboxes.get(botId);
    if (inbox === undefined) {
      inbox = new BotInbox(this.webhookOptions(botId));
      this.inboxes.set(botId, inbox);
    }
    return inbox;
  }

  deliver(updates: readonly RoutedUpdate[]): void {
    for (const update of updates) this.inbox(update.botId).deliver(update.type, update.payload);
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.inboxes.values()].map((inbox) => inbox.shutdown()));
  }

  async reset(): Promise<void> {
    await this.shutdown();
    this.inboxes.clear();
  }
}
