// The audit entry every accepted mutation leaves: who, what, which resource, the value
// before and after, from where. Values are JSON text with anything secret-looking
// replaced, so the trail can be shown to any admin.
import { AuditRecordedSchema, create, type AuditRecorded } from '@nezuko/proto';
import { actorOf } from './routes/actor.ts';
import type { Principal } from './auth.ts';

const secretKey = /token|password|secret|hash|key/i;
const maxValueLength = 8 * 1024;

/** JSON text of `value` with secret-looking fields redacted; empty for undefined. */
export function auditValue(value: unknown): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value, (key, inner: unknown) =>
    key !== '' && secretKey.test(key) ? '[redacted]' : inner,
  );
  return text.length > maxValueLength ? `${text.slice(0, maxValueLength)}…` : text;
}

export interface AuditInput {
  readonly auditId: string;
  readonly principal: Principal | null;
  readonly actorEmail?: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
  readonly ip: string;
  readonly userAgent: string;
  readonly requestId: string;
  /** False for a refused attempt worth keeping (a failed login). Default true. */
  readonly succeeded?: boolean;
}

export function auditEvent(input: AuditInput): AuditRecorded {
  const actor = input.principal
    ? actorOf(input.principal)
    : actorOf({ email: input.actorEmail ?? 'anonymous' });
  return create(AuditRecordedSchema, {
    auditId: input.auditId,
    actor,
    action: input.action,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    oldValue: auditValue(input.oldValue),
    newValue: auditValue(input.newValue),
    ip: input.ip,
    userAgent: input.userAgent.slice(0, 512),
    requestId: input.requestId,
    succeeded: input.succeeded ?? true,
  });
}
