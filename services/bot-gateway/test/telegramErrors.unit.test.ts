import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import {
  classifyTelegramFailure,
  isMessageAlreadyGone,
  isTransient,
} from '../src/telegram/errors.ts';

const telegramError = (
  error_code: number,
  description: string,
  parameters?: { retry_after?: number },
) => new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

describe('classifying a failed Bot API call', () => {
  it('429 is rate limited with Telegram’s retry_after', () => {
    const failure = classifyTelegramFailure(
      telegramError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }),
    );
    expect(failure).toEqual({
      kind: 'rate_limited',
      errorCode: 429,
      description: 'Too Many Requests: retry after 3',
      retryAfterSeconds: 3,
    });
    expect(isTransient(failure)).toBe(true);
  });

  it('429 without retry_after waits a default rather than hammering', () => {
    const failure = classifyTelegramFailure(telegramError(429, 'Too Many Requests'));
    expect(failure.kind === 'rate_limited' && failure.retryAfterSeconds).toBeGreaterThan(0);
  });

  it.each([
    [400, 'Bad Request: not enough rights to restrict/unrestrict chat member'],
    [403, 'Forbidden: bot was kicked from the supergroup chat'],
    [400, 'Bad Request: chat not found'],
    [401, 'Unauthorized'],
  ])('%i %s is rejected: retrying will not help', (code, description) => {
    const failure = classifyTelegramFailure(telegramError(code, description));
    expect(failure).toEqual({ kind: 'rejected', errorCode: code, description });
    expect(isTransient(failure)).toBe(false);
  });

  it('5xx is Telegram being unavailable: transient', () => {
    const failure = classifyTelegramFailure(telegramError(502, 'Bad Gateway'));
    expect(failure).toEqual({ kind: 'unavailable', errorCode: 502, description: 'Bad Gateway' });
    expect(isTransient(failure)).toBe(true);
  });

  it('anything without a Telegram answer is a network failure, kept apart from Telegram errors', () => {
    const refused = Object.assign(
      new Error(
        'request to http://127.0.0.1:1/bot1:[REDACTED]/getMe failed, reason: connect ECONNREFUSED',
      ),
      {
        name: 'FetchError',
      },
    );
    const failure = classifyTelegramFailure(refused);
    expect(failure.kind).toBe('network');
    expect(failure).not.toHaveProperty('errorCode');
    expect(isTransient(failure)).toBe(true);
    expect(
      classifyTelegramFailure(Object.assign(new Error('aborted'), { name: 'AbortError' })).kind,
    ).toBe('network');
  });

  it('never lets a bot token through in a description', () => {
    const leaky = new Error(
      'request to https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe failed',
    );
    expect(classifyTelegramFailure(leaky).description).not.toContain(
      'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
    );
  });

  it('"message to delete not found" means the goal is already reached', () => {
    expect(
      isMessageAlreadyGone(
        classifyTelegramFailure(telegramError(400, 'Bad Request: message to delete not found')),
      ),
    ).toBe(true);
    expect(
      isMessageAlreadyGone(
        classifyTelegramFailure(telegramError(400, "Bad Request: message can't be deleted")),
      ),
    ).toBe(false);
  });
});
