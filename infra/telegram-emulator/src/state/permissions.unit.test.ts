import { describe, expect, it } from 'vitest';
import {
  coversPermissions,
  defaultChatPermissions,
  noPermissions,
  permissionsJson,
  readRequestedPermissions,
} from './permissions.ts';

describe('readRequestedPermissions', () => {
  it('treats omitted permissions as denied', () => {
    const read = readRequestedPermissions({ can_send_messages: true }, true);
    expect(read.can_send_messages).toBe(true);
    expect(read.can_send_photos).toBe(false);
    expect(read.can_invite_users).toBe(false);
  });

  it('lets other messages imply media and text unless permissions are independent', () => {
    const implied = readRequestedPermissions({ can_send_other_messages: true }, false);
    expect(implied.can_send_messages).toBe(true);
    expect(implied.can_send_photos).toBe(true);
    const independent = readRequestedPermissions({ can_send_other_messages: true }, true);
    expect(independent.can_send_messages).toBe(false);
    expect(independent.can_send_photos).toBe(false);
  });

  it('lets polls imply text', () => {
    expect(readRequestedPermissions({ can_send_polls: true }, false).can_send_messages).toBe(true);
  });

  it('understands the legacy can_send_media_messages', () => {
    const read = readRequestedPermissions({ can_send_media_messages: true }, false);
    expect(read.can_send_videos).toBe(true);
    expect(read.can_send_messages).toBe(true);
  });

  it('rejects a non-boolean flag', () => {
    expect(() => readRequestedPermissions({ can_send_messages: 'yes' }, false)).toThrow(/Boolean/);
  });

  it('reads the default permissions back as covering the defaults', () => {
    const fromClient = readRequestedPermissions(
      {
        can_send_messages: true,
        can_send_audios: true,
        can_send_documents: true,
        can_send_photos: true,
        can_send_videos: true,
        can_send_video_notes: true,
        can_send_voice_notes: true,
        can_send_polls: true,
        can_send_other_messages: true,
        can_add_web_page_previews: true,
        can_invite_users: true,
      },
      false,
    );
    expect(coversPermissions(fromClient, defaultChatPermissions())).toBe(true);
  });
});

describe('coversPermissions', () => {
  it('is false when any allowed default is missing', () => {
    expect(
      coversPermissions(
        { ...defaultChatPermissions(), can_invite_users: false },
        defaultChatPermissions(),
      ),
    ).toBe(false);
    expect(coversPermissions(noPermissions(), noPermissions())).toBe(true);
  });
});

describe('permissionsJson', () => {
  it('renders the legacy media flag next to the split ones', () => {
    expect(permissionsJson(noPermissions()).can_send_media_messages).toBe(false);
    expect(
      permissionsJson({ ...noPermissions(), can_send_voice_notes: true }).can_send_media_messages,
    ).toBe(true);
  });
});
