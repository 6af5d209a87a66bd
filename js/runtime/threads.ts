// One inference on several threads (LoadOptions.threads > 1).
//
// The model's memory is a shared WebAssembly.Memory; the main thread and threads − 1 workers each
// instantiate the threads build of quantlite.wasm (build/quantlite.threads.wasm: the same kernels,
// memory imported and shared) on it. At load, every operator whose step is splittable
// (js/graph/split.ts) becomes a "phase": its output cut into chunks (bands of rows) of similar
// cost, each a parameter block written once into the shared memory. The other operators stay on
// the main thread.
//
// Per inference no message is posted. For each phase the main thread resets COMPLETED, opens the
// phase (NEXT = phase << 16, chunk 0), bumps GO (waking sleeping workers with Atomics.notify), and
// then every thread, the main one included, claims chunks with Atomics.add(NEXT, 1) until none is
// left, running each on its own copy of the parameter block with its own scratch buffer. The main
// thread then waits until COMPLETED counts every chunk: it spins first, then blocks in Atomics.wait
// (on a browser page's main thread, where Atomics.wait is not allowed, it keeps spinning). Claiming
// chunks instead of owning fixed slices balances uneven bands, and a worker the OS is slow to run
// (a busy machine) holds up an operator only by the chunk it has claimed: the others take the rest.
// Workers spin on GO for a short while after a phase (the next one usually follows within
// microseconds), then sleep in Atomics.wait. run stays synchronous; chunks write disjoint bands of
// the output, each computed exactly as in the single-threaded run, so outputs are identical.
import { InputError } from "../errors.js";
import { splitWork, workOf } from "../graph/split.js";
import type { Step } from "../ops/context.js";
import { type KernelExports, instantiateWithTable } from "./kernels.js";
import type { WasmMemory } from "./memory.js";
import { decodeEmbedded } from "./embedded-module.js";
import { nodeBuiltin } from "./threads-support.js";
import { workerSource } from "./thread-worker.js";

// Int32 slots of the control block: the main thread's signals, the chunk counter, the answers
// (one 64-byte cache line each).
const GO = 0, STOP = 1, SLEEPING = 2, NEXT = 16, COMPLETED = 32, MAIN_WAITING = 33, FAILED = 34;
const CONTROL_BYTES = 192;
/** NEXT before the first phase: an index past any phase's chunks. */
const CLOSED = 0x8000;
/**
 * An operator is cut into about work / CHUNK_WORK chunks (js/graph/split.ts workOf: ≈ 20 µs each
 * here), at least one per thread and at most MAX_CHUNKS_PER_THREAD per thread (fewer when it has
 * fewer rows): enough that the threads end an operator together, few enough that claiming and
 * starting chunks stays cheap (MobileNetV2 on 2 threads measured the same from 100 000 to 600 000,
 * slower at 3 000 000).
 */
const CHUNK_WORK = 500_000;
const MAX_CHUNKS_PER_THREAD = 16;
/**
 * How long a thread spins before it sleeps in Atomics.wait: a worker between phases (most follow
 * within microseconds), the main thread for the last chunks of a phase (≈ 40 µs each). Longer spins
 * measured worse on a busy machine, where a spinning thread takes the core another one needs; with
 * more threads than cores nobody spins.
 */
const SPIN_MS = 0.05;

const PAGE = 65536;

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: "message" | "error" | "exit", listener: (value: any) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

/** The threads build of quantlite.wasm: the given Module when it imports its memory, else the embedded one. */
export async function threadsModule(given: WebAssembly.Module | undefined): Promise<WebAssembly.Module> {
  if (given !== undefined) {
    if (!WebAssembly.Module.imports(given).some((i) => i.kind === "memory")) {
      throw new InputError("option threads needs the threads build of quantlite.wasm (quantlite.threads.wasm, which imports a shared memory) as wasmModule");
    }
    return given;
  }
  const { WASM_BASE64 } = await import("#threads-wasm-bytes");
  return WebAssembly.compile(decodeEmbedded(WASM_BASE64, "quantlite.threads.wasm"));
}

/** A shared memory of at most maxBytes and the main thread's instance of the threads build on it. */
export async function instantiateShared(module: WebAssembly.Module, maxBytes: number): Promise<KernelExports> {
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: Math.ceil(maxBytes / PAGE), shared: true });
  } catch (error) {
    throw new InputError(`cannot create a shared WebAssembly memory of up to ${maxBytes} bytes for threads: ${(error as Error).message}`);
  }
  return { ...(await instantiateWithTable(module, { memory })), memory };
}

/** Whether this thread may block in Atomics.wait (not a browser page's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function hardwareThreads(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (typeof n === "number" && n > 0) return n;
  const os = nodeBuiltin("os");
  return os?.availableParallelism?.() ?? os?.cpus?.().length ?? 1;
}

/** A started worker, whichever kind. */
interface ThreadHandle {
  post(message: unknown): void;
  /** Resolves on the worker's { ready }, rejects on its { error } or a failure to start. */
  ready: Promise<void>;
  terminate(): void;
}

function startWorker(): ThreadHandle {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const ready = new Promise<void>((yes, no) => { resolve = yes; reject = no; });
  const answer = (data: { ready?: boolean; error?: string }) => {
    if (data?.ready) resolve();
    else reject(new Error(`a quantlite worker thread failed to start: ${data?.error}`));
  };
  const nodeThreads = nodeBuiltin("worker_threads") as { Worker: new (source: string, options: { eval: boolean }) => NodeWorker } | null;
  if (nodeThreads?.Worker) {
    // Node, Deno and Bun: node:worker_threads, which can unref a worker.
    const worker = new nodeThreads.Worker(workerSource(true), { eval: true });
    worker.on("message", answer);
    worker.on("error", (error: Error) => reject(new Error(`a quantlite worker thread failed: ${error.message}`)));
    worker.on("exit", (code: number) => reject(new Error(`a quantlite worker thread exited (code ${code}) before it was ready`)));
    // Once started, workers do not keep the process alive: run is synchronous, and a model that
    // is not disposed must not hang the program.
    ready.then(() => worker.unref(), () => {});
    return { post: (m) => worker.postMessage(m), ready, terminate: () => void worker.terminate() };
  }
  // Browsers: a module worker from a Blob URL.
  const url = URL.createObjectURL(new Blob([workerSource(false)], { type: "text/javascript" }));
  const worker = new Worker(url, { type: "module" });
  worker.onmessage = (event) => answer(event.data);
  worker.onerror = (event) => {
    event.preventDefault?.();
    reject(new Error(`a quantlite worker thread failed to start: ${event.message ?? event}`));
  };
  ready.finally(() => URL.revokeObjectURL(url)).catch(() => {});
  return { post: (m) => worker.postMessage(m), ready, terminate: () => worker.terminate() };
}

export interface Threads {
  /** The model's steps, the splittable ones now run by every thread. */
  steps: (() => void)[];
  /** Operators that run split between the threads (0: no workers were started). */
  splitOps: number;
  /** Stops and terminates the workers (idempotent). */
  terminate(): void;
}

interface Phase {
  /** Index in the kernel name list (workers), and the main thread's function. */
  kernel: number;
  fn: (params: number) => void;
  /** i32 fields of the parameter block, and the index of `scratch` among them (-1: none). */
  fields: number;
  scratchField: number;
  /** Address of each chunk's parameter block. */
  chunks: number[];
}

/**
 * Plans the phases, starts threads − 1 workers on the shared memory and returns the steps to run.
 * `kernels` is the main thread's instance of `module`; memory must not grow after this.
 */
export async function startThreads(module: WebAssembly.Module, kernels: KernelExports, memory: WasmMemory, steps: Step[], threads: number): Promise<Threads> {
  const kernelNames: string[] = [];
  const phases: Phase[] = [];
  const phaseOf = new Map<number, number>();
  let maxFields = 0;
  let maxScratch = 0;
  steps.forEach((step, s) => {
    const spec = step.split;
    if (spec === undefined) return;
    const parts = Math.min(threads * MAX_CHUNKS_PER_THREAD, Math.max(threads, Math.ceil(workOf(spec) / CHUNK_WORK)));
    const chunks = splitWork(spec, parts).flat();
    if (chunks.length < 2 || chunks.length >= CLOSED) return; // nothing to share: stays serial
    const fn = kernels[spec.kernel as keyof KernelExports] as (params: number) => void;
    if (typeof fn !== "function") throw new Error(`internal: the threads build has no kernel ${spec.kernel}`);
    if (!kernelNames.includes(spec.kernel)) kernelNames.push(spec.kernel);
    phaseOf.set(s, phases.length);
    phases.push({
      kernel: kernelNames.indexOf(spec.kernel),
      fn,
      fields: spec.fields.length,
      scratchField: spec.scratchBytes > 0 ? spec.fields.indexOf("scratch") : -1,
      chunks: chunks.map((values) => memory.store(Int32Array.from(spec.fields, (f) => values[f]))),
    });
    maxFields = Math.max(maxFields, spec.fields.length);
    maxScratch = Math.max(maxScratch, spec.scratchBytes);
  });
  if (phases.length >= CLOSED) throw new Error("internal: too many operators to split");
  if (phases.length === 0) return { steps, splitOps: 0, terminate: () => {} }; // nothing for workers to do

  // Per thread: a parameter slot to copy chunks into, and a scratch buffer.
  const slots = Array.from({ length: threads }, () => memory.allocate(maxFields * 4, 64));
  const scratch = Array.from({ length: threads }, () => memory.allocate(Math.max(maxScratch, 16), 64));
  const controlAddress = memory.allocate(CONTROL_BYTES, 64);
  const shared = kernels.memory;
  const control = new Int32Array(shared.buffer, controlAddress, CONTROL_BYTES / 4);
  const words = new Int32Array(shared.buffer);
  control.fill(0);
  control[NEXT] = CLOSED;
  const spinMs = threads <= hardwareThreads() ? SPIN_MS : 0;
  const blocking = canBlock();

  const handles: ThreadHandle[] = [];
  let stopped = false;
  const terminate = () => {
    if (stopped) return;
    stopped = true;
    Atomics.store(control, STOP, 1);
    Atomics.add(control, GO, 1);
    Atomics.notify(control, GO);
    for (const h of handles) h.terminate();
  };
  try {
    const workerPhases = phases.map(({ kernel, fields, scratchField, chunks }) => ({ kernel, fields, scratchField, chunks }));
    for (let t = 1; t < threads; t++) {
      const handle = startWorker();
      handles.push(handle);
      handle.post({
        module, memory: shared, control: controlAddress, kernels: kernelNames, phases: workerPhases,
        slot: slots[t], scratch: scratch[t], spinMs,
      });
    }
    await Promise.all(handles.map((h) => h.ready));
  } catch (error) {
    terminate();
    throw error;
  }

  const slot = slots[0] >> 2;
  const runPhase = (p: number) => {
    if (stopped) throw new InputError("this model has been disposed");
    const phase = phases[p];
    const total = phase.chunks.length;
    Atomics.store(control, COMPLETED, 0);
    Atomics.store(control, NEXT, p << 16);
    Atomics.add(control, GO, 1);
    if (Atomics.load(control, SLEEPING) !== 0) Atomics.notify(control, GO);
    let failure: unknown = null;
    for (;;) {
      const claim = Atomics.add(control, NEXT, 1);
      const chunk = claim & 0xffff;
      if (claim >>> 16 !== p || chunk >= total) break;
      try {
        const from = phase.chunks[chunk] >> 2;
        words.copyWithin(slot, from, from + phase.fields);
        if (phase.scratchField >= 0) words[slot + phase.scratchField] = scratch[0];
        phase.fn(slots[0]);
      } catch (error) {
        failure ??= error;
      }
      Atomics.add(control, COMPLETED, 1);
    }
    // Wait for the chunks the workers hold, even when one of ours failed: nothing else may run before.
    if (Atomics.load(control, COMPLETED) !== total) {
      const deadline = performance.now() + spinMs;
      for (let spins = 1; Atomics.load(control, COMPLETED) !== total; spins++) {
        if ((spins & 255) === 0 && blocking && performance.now() >= deadline) {
          Atomics.store(control, MAIN_WAITING, 1);
          for (let done = Atomics.load(control, COMPLETED); done !== total; done = Atomics.load(control, COMPLETED)) {
            Atomics.wait(control, COMPLETED, done);
          }
          Atomics.store(control, MAIN_WAITING, 0);
        }
      }
    }
    if (failure !== null) throw failure;
    if (Atomics.load(control, FAILED) !== 0) throw new Error("internal: a kernel failed in a worker thread");
  };

  return {
    steps: steps.map((step, s) => {
      const phase = phaseOf.get(s);
      return phase === undefined ? step : () => runPhase(phase);
    }),
    splitOps: phases.length,
    terminate,
  };
}
