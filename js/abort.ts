// Cancelling long work (quantize's calibration, evaluate) with an AbortSignal. The work is a loop
// of synchronous steps, so an abort from a timer or an event would never get to run; every 50 ms
// the loop yields to the event loop once, then stops with the signal's reason if it was aborted.

const YIELD_EVERY_MS = 50;

/** A function to await before each step: it throws signal.reason once the signal is aborted. */
export function abortCheckpoint(signal: AbortSignal | undefined): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (signal === undefined) return;
    signal.throwIfAborted();
    if (performance.now() - last < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = performance.now();
    signal.throwIfAborted();
  };
}
