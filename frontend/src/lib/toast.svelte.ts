// App-wide toasts: short confirmations and errors that do not belong next to one field.
// Module state is shared by the whole browser tab; on the server nothing is ever pushed.

export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

let nextId = 1;
export const toasts: Toast[] = $state([]);

export function dismissToast(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}

/** Shows `message` (as text, never markup); errors stay until dismissed, others 5 s. */
export function toast(message: string, kind: ToastKind = 'info'): void {
  const id = nextId++;
  toasts.push({ id, kind, message });
  if (toasts.length > 4) toasts.shift();
  if (kind !== 'error') setTimeout(() => dismissToast(id), 5_000);
}
