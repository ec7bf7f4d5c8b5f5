import { describe, expect, it } from 'vitest';
import { parseOperatorConfig, type OperatorConfig } from '#lib/api/settingsApi.ts';
import { draftFrom, formFieldOf, isEmptyPatch, patchFrom, validateDraft } from './configForm.ts';

const served: OperatorConfig = parseOperatorConfig({
  membership_cache: { positive_ttl_seconds: 600, negative_ttl_seconds: 60 },
  prompt_defaults: { language: 'en', delete_after_seconds: 0 },
  retention: { verification_log_days: 90, logs_days: 3 },
  log_levels: {
    'bot-gateway': 'info',
    verification: 'info',
    'analytics-projector': 'info',
    command: 'info',
    'websocket-push': 'info',
  },
  webhook: { url: '', secret_set: true },
});

describe('patchFrom', () => {
  it('sends nothing when nothing changed, and never an untouched secret', () => {
    const patch = patchFrom(served, draftFrom(served));
    expect(patch).toEqual({});
    expect(isEmptyPatch(patch)).toBe(true);
  });

  it('sends only the fields the admin changed, by section', () => {
    const draft = draftFrom(served);
    draft.numbers['membership_cache.negative_ttl_seconds'] = 30;
    draft.logLevels.verification = 'debug';
    draft.webhookUrl = ' https://hooks.example.com/nz ';
    draft.webhookSecret = 'new-secret';
    expect(patchFrom(served, draft)).toEqual({
      membership_cache: { negative_ttl_seconds: 30 },
      log_levels: { verification: 'debug' },
      webhook: { url: 'https://hooks.example.com/nz', secret: 'new-secret' },
    });
  });
});

describe('validateDraft', () => {
  it('accepts the served settings', () => {
    expect(validateDraft(draftFrom(served))).toEqual({});
  });

  it('names each field out of the server bounds', () => {
    const draft = draftFrom(served);
    draft.numbers['membership_cache.positive_ttl_seconds'] = 59;
    draft.numbers['retention.logs_days'] = null;
    draft.numbers['retention.verification_log_days'] = 1.5;
    draft.language = 'English';
    draft.webhookUrl = 'javascript:alert(1)';
    expect(validateDraft(draft)).toEqual({
      'membership_cache.positive_ttl_seconds': 'Between 60 and 86400 seconds.',
      'retention.logs_days': 'Enter a number.',
      'retention.verification_log_days': 'Enter whole days.',
      'prompt_defaults.language': 'A two-letter language code, such as "en".',
      'webhook.url': 'An http(s) address, or empty for no webhook.',
    });
  });
});

describe('formFieldOf', () => {
  it('maps a server field to its form field, and ignores the rest', () => {
    expect(formFieldOf('retention.logs_days')).toBe('retention.logs_days');
    expect(formFieldOf('log_levels.command')).toBe('log_levels.command');
    expect(formFieldOf('If-Match')).toBeUndefined();
    expect(formFieldOf(undefined)).toBeUndefined();
  });
});
