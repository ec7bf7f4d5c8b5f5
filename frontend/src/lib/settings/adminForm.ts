// Checks on the admin account forms (create, reset password) the server also makes, so the
// owner sees the mistake beside the field before anything is sent.
import type { Role } from '#lib/api/session.ts';

export const MIN_PASSWORD_LENGTH = 12;

export const roleLabels: Record<Role, string> = {
  owner: 'Owner — everything, including admins and settings',
  admin: 'Admin — groups, channels, bots and commands',
  viewer: 'Viewer — can look, cannot change anything',
};

export interface NewAdmin {
  email: string;
  role: Role;
  password: string;
}

export type NewAdminErrors = Partial<Record<keyof NewAdmin, string>>;

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `At least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 1024) return 'At most 1024 characters.';
  return undefined;
}

export function validateNewAdmin(input: NewAdmin): NewAdminErrors {
  const errors: NewAdminErrors = {};
  const email = input.email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    errors.email = 'Enter an email address.';
  const password = passwordProblem(input.password);
  if (password) errors.password = password;
  return errors;
}
