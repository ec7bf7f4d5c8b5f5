// Telegram lets a bot post about 20 messages a minute in one group; beyond that it answers
// 429 for a long while. Sends to a chat are therefore scheduled: each message-sending
// action gets a slot so that no window of `windowMs` holds more than `perWindow` slots, and
// waits for it (the executor naks it until then: the action stays queued in JetStream,
// other chats and other kinds go on). A slot is kept per action id, so a redelivered action
// keeps its place. A final check on the sends actually made guards against slots used late.
import type { TelegramAction } from '@nezuko/proto';

export interface ChatSendSchedule {
  /** Milliseconds the action must wait before sending; 0 = send now (or not a send). */
  waitFor(action: TelegramAction, now: number): number;
  /** Records a send that reached Telegram. */
  sent(action: TelegramAction, now: number): void;
}

/** Action kinds that post a new message in the chat. */
export function sendsMessage(action: TelegramAction): boolean {
  return action.kind.case === 'prompt' || action.kind.case === 'sendText';
}

export function createChatSendSchedule(perWindow = 20, windowMs = 61_000): ChatSendSchedule {
  // chat -> slot times handed out, ascending; chat -> times of sends made.
  const slots = new Map<string, number[]>();
  const sends = new Map<string, number[]>();
  const slotOf = new Map<string, number>();

  const trim = (times: number[], now: number) => {
    while (times.length > perWindow && times[0]! <= now - windowMs) times.shift();
  };

  return {
    waitFor(action, now) {
      if (!sendsMessage(action)) return 0;
      let slot = slotOf.get(action.actionId);
      if (slot === undefined) {
        const chatSlots = slots.get(action.chatId) ?? [];
        trim(chatSlots, now);
        const bound = chatSlots[chatSlots.length - perWindow];
        slot = Math.max(now, bound === undefined ? now : bound + windowMs);
        chatSlots.push(slot);
        slots.set(action.chatId, chatSlots);
        slotOf.set(action.actionId, slot);
        if (slotOf.size > 100_000) slotOf.delete(slotOf.keys().next().value ?? '');
      }
      const made = (sends.get(action.chatId) ?? []).filter((t) => t > now - windowMs);
      const full = made.length >= perWindow ? made[made.length - perWindow]! + windowMs : 0;
      return Math.max(0, slot - now, full - now);
    },
    sent(action, now) {
      if (!sendsMessage(action)) return;
      slotOf.delete(action.actionId);
      const made = sends.get(action.chatId) ?? [];
      made.push(now);
      while (made.length > perWindow) made.shift();
      sends.set(action.chatId, made);
    },
  };
}
