// Composable checkers for read API bodies (the analytics parsers build one parser per
// response from them). Hand-written (not zod) because parsers ship to the browser; a wrong
// field throws a ContractError naming its path, extra fields are ignored. shape.ts holds
// the field-by-field readers the other pages use.
import { ContractError } from './contract.ts';

export type Check<T> = (value: unknown, path: string) => T;

export const num: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ContractError(`${path}: expected a number`);
  return v;
};

/** JSON has no Infinity: an unbounded quantile arrives as null. */
export const numOrNull: Check<number | null> = (v, path) =>
  v === null || v === undefined ? null : num(v, path);

export const str: Check<string> = (v, path) => {
  if (typeof v !== 'string') throw new ContractError(`${path}: expected a string`);
  return v;
};

export const strOrNull: Check<string | null> = (v, path) =>
  v === null || v === undefined ? null : str(v, path);

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ContractError(`${path}: expected a boolean`);
  return v;
};

export function oneOf<const T extends string>(allowed: readonly T[]): Check<T> {
  return (v, path) => {
    if (!allowed.includes(v as T))
      throw new ContractError(`${path}: expected one of ${allowed.join(', ')}`);
    return v as T;
  };
}

export function list<T>(item: Check<T>): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new ContractError(`${path}: expected an array`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

type Fields<T> = { [K in keyof T]: Check<T[K]> };

export function object<T>(fields: Fields<T>): Check<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new ContractError(`${path}: expected an object`);
    const o = v as Record<string, unknown>;
    const out: Partial<T> = {};
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      out[key] = fields[key](o[key], `${path}.${key}`);
    }
    return out as T;
  };
}

/** A parser for getJson(): the body checked from its root, named `name` in errors. */
export const parser =
  <T>(name: string, check: Check<T>) =>
  (body: unknown): T =>
    check(body, name);
