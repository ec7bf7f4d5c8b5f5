import { describe, expect, it } from 'vitest';
import { linkBody } from './linkForm.ts';

describe('link a channel form', () => {
  it('builds the body with an invite link from the username and the group bot', () => {
    expect(linkBody({ channel_id: ' -1001234 ', username: '@news_ch', title: '' }, '7001')).toEqual(
      {
        ok: true,
        body: {
          channel_id: '-1001234',
          username: 'news_ch',
          invite_link: 'https://t.me/news_ch',
          bot_id: '7001',
        },
      },
    );
  });

  it('names the wrong fields', () => {
    expect(linkBody({ channel_id: '1234', username: 'a b', title: '' }, null)).toEqual({
      ok: false,
      errors: {
        channel_id: 'must be a channel id, a negative number like -1001234567890',
        username: 'must be a Telegram username (5–32 letters, digits or _)',
      },
    });
  });
});

describe('add a channel form', () => {
  it('needs at least one group', async () => {
    const { addChannelBody } = await import('./addChannel.ts');
    const draft = { channel_id: '-100555', username: '', title: 'News' };
    expect(addChannelBody(draft, [])).toEqual({
      ok: false,
      errors: { group_ids: 'choose at least one group' },
    });
    expect(addChannelBody(draft, ['-1001'])).toEqual({
      ok: true,
      body: { channel_id: '-100555', title: 'News', group_ids: ['-1001'] },
    });
  });
});
