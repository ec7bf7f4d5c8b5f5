// Simulated people for the demo. Each newcomer plays one story through the real gate:
// most join the channels and press verify, some press too early, some never verify, some
// were channel members already. Verified members keep chatting. Bounded and stoppable.
import type { EmulatorControl, TgUser } from '../emulatorControl.ts';
import type { DemoGroup } from './demo.ts';

const firstNames = [
  'Hana',
  'Kenji',
  'Mia',
  'Omar',
  'Lena',
  'Ravi',
  'Sofia',
  'Tomas',
  'Yuki',
  'Aiko',
  'Noah',
  'Zara',
  'Ivan',
  'Chloe',
  'Mateo',
  'Amara',
  'Leo',
  'Nia',
  'Felix',
  'Sana',
  'Jonas',
  'Ines',
  'Kai',
  'Maya',
];
const chatter = [
  'hi all 👋',
  'anyone tried the new release?',
  'thanks for the help yesterday',
  'what time is the call?',
  'just shipped my first PR',
  'good morning!',
  'is the docs site down?',
  'nice, that worked',
];

type Fate = 'complies' | 'impatient' | 'ignores' | 'already_member';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Simulation {
  private readonly tg: EmulatorControl;
  private readonly groups: DemoGroup[];
  private readonly random: () => number;
  private readonly members = new Map<number, TgUser[]>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private serial = 0;

  constructor(tg: EmulatorControl, groups: DemoGroup[], random: () => number = Math.random) {
    this.tg = tg;
    this.groups = groups;
    this.random = random;
  }

  start(): void {
    this.timers.push(setInterval(() => this.track(this.newcomer()), 4000));
    this.timers.push(setInterval(() => this.track(this.chat()), 2500));
    this.track(this.newcomer());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private track(story: Promise<void>) {
    if (this.inFlight.size > 8) return;
    const tracked = story.catch((error: Error) => {
      if (!this.stopped)
        process.stderr.write(`demo: a simulated member's story failed: ${error.message}\n`);
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private fate(): Fate {
    const r = this.random();
    if (r < 0.6) return 'complies';
    if (r < 0.75) return 'impatient';
    if (r < 0.88) return 'ignores';
    return 'already_member';
  }

  private async newcomer(): Promise<void> {
    if (this.stopped) return;
    this.serial += 1;
    const name = this.pick(firstNames);
    const user = await this.tg.createUser(
      name,
      `${name.toLowerCase()}_${Date.now().toString(36)}${this.serial}`,
    );
    const group = this.pick(this.groups);
    const fate = this.fate();
    if (fate === 'already_member') {
      for (const channel of group.channels) await this.tg.join(channel.id, user.id);
      await this.tg.join(group.id, user.id);
      this.remember(group, user);
      return;
    }
    await this.tg.join(group.id, user.id);
    // muted now: Telegram's client would not even let them write, so those who ignore the
    // prompt simply stay muted
    if (fate === 'ignores') return;
    await sleep(1500 + this.random() * 2500);
    if (fate === 'impatient') {
      await this.pressVerify(group, user);
      await sleep(1500);
    }
    for (const channel of group.channels) await this.tg.join(channel.id, user.id);
    await sleep(800 + this.random() * 1500);
    if (await this.pressVerify(group, user)) this.remember(group, user);
  }

  private async pressVerify(group: DemoGroup, user: TgUser): Promise<boolean> {
    for (let attempt = 0; attempt < 20 && !this.stopped; attempt += 1) {
      const prompt = await this.tg.promptFor(group.id, user.id);
      if (prompt) {
        await this.tg.press(group.id, user.id, prompt.message_id, `nz:v:${user.id}`);
        return true;
      }
      await sleep(250);
    }
    return false;
  }

  private remember(group: DemoGroup, user: TgUser) {
    const list = this.members.get(group.id) ?? [];
    list.push(user);
    if (list.length > 50) list.shift();
    this.members.set(group.id, list);
  }

  private async chat(): Promise<void> {
    const group = this.pick(this.groups);
    const members = this.members.get(group.id);
    if (this.stopped || !members?.length) return;
    await this.tg.say(group.id, this.pick(members).id, this.pick(chatter));
  }
}
