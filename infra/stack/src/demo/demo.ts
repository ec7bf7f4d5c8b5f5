// The demo world for `npm start` without BOT_TOKEN: a bot, two channels and two groups in
// the Telegram emulator, protected by their admin with /protect, and a stream of simulated
// people going through the real gate (join, get muted, join the channels, press verify).
// Everything the dashboard shows comes through the real services.
import { EmulatorControl, type TgUser } from '../emulatorControl.ts';
import { Simulation } from './simulation.ts';

export interface Demo {
  readonly botToken: string;
  /** Protects the demo groups and starts the simulated members (services must be up). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DemoGroup {
  readonly id: number;
  readonly title: string;
  readonly channels: { id: number; username: string }[];
}

export async function createDemo(apiRoot: string): Promise<Demo> {
  const tg = new EmulatorControl(apiRoot);
  const bot = await tg.createBot('NezukoDemoBot', 'Nezuko Demo');
  const admin = await tg.createUser('Alice', 'alice_admin');
  const news = await tg.createChat('channel', 'Nezuko News', {
    username: 'nezuko_news',
    creatorId: admin.id,
  });
  const dev = await tg.createChat('channel', 'Nezuko Dev Notes', {
    username: 'nezuko_dev',
    creatorId: admin.id,
  });
  const community = await tg.createChat('supergroup', 'Nezuko Community', { creatorId: admin.id });
  const lounge = await tg.createChat('supergroup', 'Builders Lounge', { creatorId: admin.id });
  for (const chat of [news, dev, community, lounge]) await tg.makeAdmin(chat.id, bot.id);

  const groups: DemoGroup[] = [
    {
      id: community.id,
      title: 'Nezuko Community',
      channels: [{ id: news.id, username: 'nezuko_news' }],
    },
    {
      id: lounge.id,
      title: 'Builders Lounge',
      channels: [
        { id: news.id, username: 'nezuko_news' },
        { id: dev.id, username: 'nezuko_dev' },
      ],
    },
  ];
  let simulation: Simulation | undefined;

  return {
    botToken: bot.token,
    async start() {
      for (const group of groups) {
        for (const channel of group.channels)
          await tg.say(group.id, admin.id, `/protect @${channel.username}`);
      }
      await waitForProtection(tg, groups, bot.id, admin);
      simulation = new Simulation(tg, groups);
      simulation.start();
    },
    async stop() {
      await simulation?.stop();
    },
  };
}

/** Waits until the bot has answered every /protect, so the simulation meets a live gate. */
async function waitForProtection(
  tg: EmulatorControl,
  groups: DemoGroup[],
  botId: number,
  admin: TgUser,
) {
  const until = Date.now() + 30_000;
  for (const group of groups) {
    for (;;) {
      const replies = (await tg.messages(group.id)).filter((m) => m.sent_by_bot_id === botId);
      if (replies.length >= group.channels.length) break;
      if (Date.now() > until) {
        throw new Error(
          `the bot did not answer /protect in ${group.title} (asked by ${admin.first_name})`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
