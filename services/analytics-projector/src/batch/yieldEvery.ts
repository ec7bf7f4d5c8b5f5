// Iterating deliveries that are already buffered never returns to the event loop, so
// Postgres' answers to the batch being written wait behind the decoding of the next one.
// A loop calls the returned function once per message; it yields (setImmediate) when the
// current slice of synchronous work has run longer than `ms`.

/** Longest run of decoding before a loop lets I/O (Postgres' answers) through. */
export const DECODE_SLICE_MS = 2;

export function yieldEvery(ms: number = DECODE_SLICE_MS): () => Promise<void> | undefined {
  let slice = performance.now();
  return () => {
    if (performance.now() - slice <= ms) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      slice = performance.now();
    });
  };
}
