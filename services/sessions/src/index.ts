// @nezuko/sessions: the dashboard session shared by the services that serve admins —
// cookie format, roles, and the verifier over the command service's sessions table.
export {
  clearedSessionCookie,
  hashSessionId,
  isWellFormedSessionId,
  newSessionId,
  sessionCookie,
  sessionCookieName,
  sessionIdFromCookieHeader,
  type CookieOptions,
} from './cookie.ts';
export { isRole, roleAllows, roles, type Role } from './roles.ts';
export { createSessionVerifier, type SessionPrincipal, type SessionVerifier } from './verifier.ts';
