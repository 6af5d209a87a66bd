// A fuzz worker thread: runs the batches of cases pool.ts sends it and answers each with its
// tally. Before each case it publishes the case number in shared memory, so that the pool can
// name (and stop) a case that never ends.
import { parentPort, workerData } from "node:worker_threads";
import { CaseRunner, type FuzzKind } from "./cases.js";
import { emptyTally, record } from "./outcome.js";

export interface WorkerSetup {
  kind: FuzzKind;
  seed: number;
  /** Int32Array over a SharedArrayBuffer: [case in progress (-1 when idle)]. */
  progress: SharedArrayBuffer;
}

export interface Batch {
  from: number;
  to: number;
}

const { kind, seed, progress } = workerData as WorkerSetup;
const current = new Int32Array(progress);
const runner = new CaseRunner(kind);

parentPort!.on("message", async ({ from, to }: Batch) => {
  const tally = emptyTally();
  for (let index = from; index < to; index++) {
    Atomics.store(current, 0, index);
    const { name, outcome, ms } = await runner.run(seed, index);
    record(tally, seed, index, name, outcome, ms);
  }
  Atomics.store(current, 0, -1);
  parentPort!.postMessage(tally);
});
