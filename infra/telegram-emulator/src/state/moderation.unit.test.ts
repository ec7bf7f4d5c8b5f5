import { describe, expect, it } from 'vitest';
import { TelegramError } from '../errors.ts';
import { banChatMember, leaveChat, restrictChatMember, unbanChatMember } from './moderation.ts';
import { defaultChatPermissions, noPermissions } from './permissions.ts';
import { adminState, buildWorld, NOW } from './testing.ts';

function refusal(
  action: () => unknown,
): { code: number; description: string; parameters?: object } | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (!(error instanceof TelegramError)) throw error;
    return {
      code: error.errorCode,
      description: error.description,
      ...(error.parameters ? { parameters: error.parameters } : {}),
    };
  }
}

describe('restrictChatMember', () => {
  const mute = (
    world: ReturnType<typeof buildWorld>,
    userId: number,
    permissions = noPermissions(),
  ) =>
    restrictChatMember(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, userId, permissions, untilDate: 0 },
      NOW,
    );

  it('restricts a member and reports the change', () => {
    const world = buildWorld();
    const facts = mute(world, world.alice.id);
    expect(world.chat.members.get(world.alice.id)).toMatchObject({
      status: 'restricted',
      isMember: true,
    });
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      type: 'member_changed',
      userId: world.alice.id,
      actorId: world.bot.user.id,
    });
  });

  it('makes the user a plain member again when given the chat defaults', () => {
    const world = buildWorld();
    mute(world, world.alice.id);
    mute(world, world.alice.id, defaultChatPermissions());
    expect(world.chat.members.get(world.alice.id)).toEqual({ status: 'member' });
  });

  it('reports nothing when nothing changes', () => {
    const world = buildWorld();
    expect(mute(world, world.alice.id, defaultChatPermissions())).toEqual([]);
  });

  it('needs the bot to be an admin with can_restrict_members', () => {
    const world = buildWorld();
    world.setMember(world.bot.user.id, adminState({ can_restrict_members: false }));
    expect(refusal(() => mute(world, world.alice.id))).toEqual({
      code: 400,
      description: 'Bad Request: not enough rights to restrict/unrestrict chat member',
    });
    world.setMember(world.bot.user.id, { status: 'member' });
    expect(refusal(() => mute(world, world.alice.id))?.description).toBe(
      'Bad Request: not enough rights to restrict/unrestrict chat member',
    );
  });

  it('refuses the owner and administrators', () => {
    const world = buildWorld();
    expect(refusal(() => mute(world, world.owner.id))?.description).toBe(
      "Bad Request: can't remove chat owner",
    );
    expect(refusal(() => mute(world, world.moderator.id))?.description).toBe(
      'Bad Request: user is an administrator of the chat',
    );
  });

  it('works only in supergroups', () => {
    const world = buildWorld('group');
    expect(refusal(() => mute(world, world.alice.id))?.description).toBe(
      'Bad Request: method is available only for supergroups',
    );
  });

  it('answers 403 when the bot was kicked and 400 for unknown users', () => {
    const world = buildWorld();
    expect(refusal(() => mute(world, 424242))?.description).toBe('Bad Request: user not found');
    world.setMember(world.bot.user.id, { status: 'kicked', untilDate: 0 });
    expect(refusal(() => mute(world, world.alice.id))).toEqual({
      code: 403,
      description: 'Forbidden: bot was kicked from the supergroup chat',
    });
  });
});

describe('banChatMember and unbanChatMember', () => {
  it('bans with an until date and shows the removal in the group', () => {
    const world = buildWorld();
    const facts = banChatMember(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, userId: world.alice.id, untilDate: NOW + 3600 },
      NOW,
    );
    expect(world.chat.members.get(world.alice.id)).toEqual({
      status: 'kicked',
      untilDate: NOW + 3600,
    });
    expect(facts.map((fact) => fact.type)).toEqual(['member_changed', 'message_sent']);
    expect(world.chat.messages.at(-1)?.service).toEqual({
      kind: 'left_chat_member',
      userId: world.alice.id,
    });
  });

  it('unbans a banned user into left', () => {
    const world = buildWorld();
    world.setMember(world.alice.id, { status: 'kicked', untilDate: 0 });
    unbanChatMember(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, userId: world.alice.id, onlyIfBanned: true },
      NOW,
    );
    expect(world.chat.members.get(world.alice.id)).toEqual({ status: 'left' });
  });

  it('with only_if_banned leaves a member alone; without it removes them', () => {
    const world = buildWorld();
    const onlyIfBanned = { chat: world.chat.id, userId: world.alice.id, onlyIfBanned: true };
    expect(unbanChatMember(world.state, world.bot.user.id, onlyIfBanned, NOW)).toEqual([]);
    expect(world.chat.members.get(world.alice.id)).toEqual({ status: 'member' });
    unbanChatMember(world.state, world.bot.user.id, { ...onlyIfBanned, onlyIfBanned: false }, NOW);
    expect(world.chat.members.get(world.alice.id)).toEqual({ status: 'left' });
  });

  it('refuses to remove the owner', () => {
    const world = buildWorld();
    expect(
      refusal(() =>
        banChatMember(
          world.state,
          world.bot.user.id,
          { chat: world.chat.id, userId: world.owner.id, untilDate: 0 },
          NOW,
        ),
      ),
    ).toEqual({ code: 400, description: "Bad Request: can't remove chat owner" });
  });
});

describe('leaveChat', () => {
  it('takes the bot out and reports its own change', () => {
    const world = buildWorld();
    const facts = leaveChat(world.state, world.bot.user.id, world.chat.id, NOW);
    expect(world.chat.members.get(world.bot.user.id)).toEqual({ status: 'left' });
    expect(facts[0]).toMatchObject({ type: 'member_changed', userId: world.bot.user.id });
  });
});
