// Runs fuzz cases on worker threads: batches of consecutive case numbers go to whichever worker
// is free, and their tallies are merged. A case still running after HANG_MS, or one that kills
// its worker (out of memory), is a failure: the worker is replaced and the rest of its batch is
// run again on the new one.
import { Worker } from "node:worker_threads";
import type { FuzzKind } from "./cases.js";
import { type Tally, emptyTally, failure, merge, record } from "./outcome.js";
import type { Batch, WorkerSetup } from "./worker.js";

export interface FuzzOptions {
  kind: FuzzKind;
  cases: number;
  seed: number;
  /** Worker threads (default 1). */
  jobs?: number;
  /** Cases per batch (default 250). */
  batch?: number;
  /** Called after every batch with the number of cases done. */
  onProgress?: (done: number) => void;
}

const HANG_MS = 20_000;
/** JavaScript heap per worker; wasm memory is bounded by maxMemoryBytes instead. */
const WORKER_HEAP_MB = 1024;

interface Slot {
  worker: Worker;
  current: Int32Array;
}

type BatchResult = { tally: Tally } | { stoppedAt: number; why: string };

function startWorker(kind: FuzzKind, seed: number): Slot {
  const progress = new SharedArrayBuffer(4);
  const setup: WorkerSetup = { kind, seed, progress };
  const worker = new Worker(new URL("./worker.js", import.meta.url), {
    workerData: setup,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  return { worker, current: new Int32Array(progress) };
}

function runBatch(slot: Slot, batch: Batch): Promise<BatchResult> {
  return new Promise((resolve) => {
    let last = -1;
    let since = Date.now();
    const finish = (result: BatchResult) => {
      clearInterval(timer);
      slot.worker.off("message", onMessage);
      slot.worker.off("error", onError);
      resolve(result);
    };
    const timer = setInterval(() => {
      const index = Atomics.load(slot.current, 0);
      if (index !== last) [last, since] = [index, Date.now()];
      else if (index >= 0 && Date.now() - since > HANG_MS) finish({ stoppedAt: index, why: `hung: still running after ${HANG_MS} ms` });
    }, 200);
    const onMessage = (tally: Tally) => finish({ tally });
    const onError = (error: Error) => finish({ stoppedAt: Math.max(batch.from, Atomics.load(slot.current, 0)), why: `worker died: ${error.message}` });
    slot.worker.on("message", onMessage);
    slot.worker.on("error", onError);
    slot.worker.postMessage(batch);
  });
}

async function drain(queue: Batch[], total: Tally, options: FuzzOptions): Promise<void> {
  const { kind, seed } = options;
  let slot = startWorker(kind, seed);
  while (queue.length > 0) {
    const batch = queue.shift()!;
    const result = await runBatch(slot, batch);
    if ("tally" in result) {
      merge(total, result.tally);
      options.onProgress?.(total.cases);
      continue;
    }
    const index = result.stoppedAt;
    const replay = `replay: npm run fuzz -- --kind ${kind} --seed ${seed} --case ${index}`;
    record(total, seed, index, `${kind} case ${index}`, failure(result.why, replay), 0);
    await slot.worker.terminate();
    slot = startWorker(kind, seed);
    if (index + 1 < batch.to) queue.unshift({ from: index + 1, to: batch.to });
    if (index > batch.from) queue.unshift({ from: batch.from, to: index });
  }
  await slot.worker.terminate();
}

export async function fuzz(options: FuzzOptions): Promise<Tally> {
  const size = options.batch ?? 250;
  const queue: Batch[] = [];
  for (let from = 0; from < options.cases; from += size) queue.push({ from, to: Math.min(from + size, options.cases) });
  const total = emptyTally();
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, queue.length));
  await Promise.all(Array.from({ length: jobs }, () => drain(queue, total, options)));
  total.failures.sort((a, b) => a.index - b.index);
  return total;
}
