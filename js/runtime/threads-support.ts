// What Model.load needs to know about threads before it loads the threads runtime (threads.ts,
// imported only when a model asks for threads, so that apps that never do ship none of it).
import { InputError } from "../errors.js";

/** Most threads one model may use. */
export const MAX_THREADS = 64;

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?(name: string): any;
}

/** A Node built-in module without a static import (the core entry imports none), or null. */
export function nodeBuiltin(name: string): any {
  const process = (globalThis as { process?: NodeProcess }).process;
  if (!process?.versions?.node || typeof process.getBuiltinModule !== "function") return null;
  try {
    return process.getBuiltinModule(name) ?? null;
  } catch {
    return null;
  }
}

/** Why this runtime cannot run a model on threads, or null when it can. */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return "SharedArrayBuffer is not available";
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    return "the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  if (nodeBuiltin("worker_threads")?.Worker || typeof Worker === "function") return null;
  if ((globalThis as { process?: NodeProcess }).process?.versions?.node) return "Node needs process.getBuiltinModule (Node 20.16 or later) for threads";
  return "this runtime has no Worker";
}

/** Checks LoadOptions.threads: an integer from 1 to MAX_THREADS. */
export function checkThreads(threads: unknown): number {
  if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new InputError(`option threads must be an integer from 1 to ${MAX_THREADS}, not ${typeof threads === "number" ? threads : JSON.stringify(threads)}`);
  }
  return threads;
}
