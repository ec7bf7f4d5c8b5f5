// A namespace isolates one installation (or one test run) on a shared NATS:
// streams become `<ns>_NZ_EVENTS`, subjects `<ns>.nz.evt...`, durables `<ns>_<name>`.
import { prefixed, type StreamName } from '@nezuko/proto';

export interface Naming {
  readonly namespace: string;
  stream(name: StreamName): string;
  subject(subject: string): string;
  /** Strips the namespace from a received subject. */
  local(subject: string): string;
  durable(name: string): string;
}

export function naming(namespace: string): Naming {
  const prefix = namespace === '' ? '' : `${namespace}.`;
  return {
    namespace,
    stream: (name) => (namespace === '' ? name : `${namespace}_${name}`),
    subject: (subject) => prefixed(namespace, subject),
    local: (subject) =>
      prefix !== '' && subject.startsWith(prefix) ? subject.slice(prefix.length) : subject,
    durable: (name) => (namespace === '' ? name : `${namespace}_${name}`),
  };
}
