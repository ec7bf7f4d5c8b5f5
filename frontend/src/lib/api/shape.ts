// Small readers that turn an untrusted JSON body into typed values, each failure a
// ContractError naming the field (the pages' response parsers share them).
import { ContractError } from './contract.ts';

export type Json = Record<string, unknown>;

export function record(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ContractError(`${path}: expected an object`);
  return value as Json;
}

export function list<T>(value: unknown, path: string, item: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) throw new ContractError(`${path}: expected an array`);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

/** The `items` array of a list response. */
export function items(body: unknown, path: string): unknown[] {
  const list = record(body, path)['items'];
  if (!Array.isArray(list)) throw new ContractError(`${path}.items: expected an array`);
  return list;
}

export function num(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ContractError(`${path}.${key}: expected a number`);
  return v;
}

export function nullableNum(o: Json, key: string, path: string): number | null {
  return o[key] === undefined || o[key] === null ? null : num(o, key, path);
}

export function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ContractError(`${path}.${key}: expected a string`);
  return v;
}

export function nullableStr(o: Json, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ContractError(`${path}.${key}: expected a string or null`);
  return v;
}

export function bool(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ContractError(`${path}.${key}: expected true or false`);
  return v;
}

export function oneOf<T extends string>(
  o: Json,
  key: string,
  allowed: readonly T[],
  path: string,
): T {
  const v = o[key];
  if (!allowed.includes(v as T))
    throw new ContractError(`${path}.${key}: expected one of ${allowed.join(', ')}`);
  return v as T;
}
