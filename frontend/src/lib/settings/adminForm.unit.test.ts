import { describe, expect, it } from 'vitest';
import { validateNewAdmin } from './adminForm.ts';

describe('validateNewAdmin', () => {
  it('accepts an email and a long enough password', () => {
    expect(
      validateNewAdmin({ email: 'v@example.com', role: 'viewer', password: 'x'.repeat(12) }),
    ).toEqual({});
  });

  it('names the email and the short password', () => {
    expect(validateNewAdmin({ email: 'nobody', role: 'admin', password: 'short' })).toEqual({
      email: 'Enter an email address.',
      password: 'At least 12 characters.',
    });
  });
});
