// Turns a zod failure into a 400 that names the field at fault, so a client (or the
// dashboard form) can point at it.
import type { z } from 'zod';
import { BadRequestError } from './errors.ts';

// Only names that look like field names are echoed back: an unknown key is client text,
// and a client may render an error message as markup.
const plainName = /^[A-Za-z0-9_-]{1,64}$/;

export function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    return plainName.test(issue.keys[0]) ? [...issue.path, issue.keys[0]].join('.') : undefined;
  }
  return issue.path.length > 0 ? issue.path.join('.') : undefined;
}

function describe(issue: z.core.$ZodIssue, field: string | undefined): string {
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.filter((k) => plainName.test(k));
    if (names.length < issue.keys.length) return 'unknown fields in the body';
    return `unknown field${names.length > 1 ? 's' : ''} ${names.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return field === undefined ? issue.message : `${field}: ${issue.message}`;
}

/**
 * Parses `value` or throws a BadRequestError about its first issue. `name` is the field
 * to blame when the value itself is wrong (a header); objects blame their own keys.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  name?: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new BadRequestError('invalid input', name);
  const field = fieldOf(issue) ?? name;
  throw new BadRequestError(describe(issue, field), field);
}
