// The Telegram Login Widget's proof, checked as Telegram documents it: the fields but
// `hash`, sorted, as `key=value` lines, HMAC-SHA256 with the SHA-256 of the login bot's
// token as key, must equal `hash`; and `auth_date` must be recent. Pure: time is passed in.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface WidgetPayload {
  readonly id: number;
  readonly auth_date: number;
  readonly hash: string;
  readonly [field: string]: string | number;
}

export const maxWidgetAgeSeconds = 24 * 60 * 60;

export function widgetProofValid(
  payload: WidgetPayload,
  botToken: string,
  nowSeconds: number,
): boolean {
  const lines = Object.entries(payload)
    .filter(([key]) => key !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  const key = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', key).update(lines).digest();
  const given = Buffer.from(payload.hash, 'hex');
  const fresh =
    nowSeconds - payload.auth_date < maxWidgetAgeSeconds && payload.auth_date <= nowSeconds + 60;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}
