import { describe, expect, it } from 'vitest';
import type { GroupSettings } from '../api/groups.ts';
import {
  draftFieldOf,
  draftOf,
  previewPrompt,
  settingsPatch,
  whitelistIds,
} from './settingsForm.ts';

const saved: GroupSettings = {
  failure_action: 'mute_until_verified',
  mute_minutes: 0,
  prompt_template: '',
  prompt_delete_after_seconds: 60,
  verify_timeout_seconds: 0,
  whitelist_user_ids: ['42'],
  under_attack: false,
  language: 'en',
  check_bots: false,
  join_request_policy: 'decline',
  leave_reaction: 'next_message',
};

describe('group settings form', () => {
  it('sends only what changed', () => {
    const draft = {
      ...draftOf(saved),
      mute_minutes: '15',
      failure_action: 'mute_for_minutes' as const,
    };
    expect(settingsPatch(draft, saved)).toEqual({
      ok: true,
      patch: { failure_action: 'mute_for_minutes', mute_minutes: 15 },
    });
    expect(settingsPatch(draftOf(saved), saved)).toEqual({ ok: true, patch: {} });
  });

  it('reads the whitelist from commas, spaces and lines', () => {
    expect(whitelistIds(' 1, 2\n3  4,,')).toEqual(['1', '2', '3', '4']);
    const draft = { ...draftOf(saved), whitelist: '42\n7' };
    expect(settingsPatch(draft, saved)).toEqual({
      ok: true,
      patch: { whitelist_user_ids: ['42', '7'] },
    });
  });

  it('names every field that is wrong, as the command API would', () => {
    const draft = {
      ...draftOf(saved),
      failure_action: 'mute_for_minutes' as const,
      mute_minutes: '0',
      prompt_delete_after_seconds: '90000',
      verify_timeout_seconds: '1.5',
      whitelist: '12 @bob',
      language: 'english',
    };
    const result = settingsPatch(draft, saved);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      mute_minutes: 'must be at least 1 to mute for a while',
      prompt_delete_after_seconds: 'must be at most 86,400',
      verify_timeout_seconds: 'must be a whole number',
      whitelist: '"@bob" is not a Telegram user id',
      language: 'must be a two-letter language code',
    });
  });

  it('maps the field a 400 names to the input that shows it', () => {
    expect(draftFieldOf('settings.whitelist_user_ids.3')).toBe('whitelist');
    expect(draftFieldOf('settings.prompt_template')).toBe('prompt_template');
    expect(draftFieldOf('If-Match')).toBeNull();
    expect(draftFieldOf(undefined)).toBeNull();
  });

  it('previews the prompt with example values, or the default text when empty', () => {
    const example = { name: '@ana', group: 'Fans', channels: '@news' };
    expect(previewPrompt('Hi {name}, join {channels} to talk in {group}. {other}', example)).toBe(
      'Hi @ana, join @news to talk in Fans. {other}',
    );
    expect(previewPrompt('  ', example)).toMatch(/^@ana, to write in Fans please join @news\./);
  });
});
