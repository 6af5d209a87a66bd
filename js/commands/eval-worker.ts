// A worker thread of `quantlite eval --jobs N`: evaluates one run of consecutive images (a shard)
// and posts its raw counts, times and sums back; eval.ts merges the shards (mergeShards).
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { type EvalOptions, evaluateShard } from "../eval/evaluate.js";
import { FileError } from "./common.js";

/** What eval.ts hands a worker. */
export interface EvalWorkerTask {
  models: { name: string; path: string }[];
  images: { name: string; file: string; label: number | null }[];
  first: number;
  options: Pick<EvalOptions, "mean" | "std" | "crop" | "perLayer" | "perLayerImages">;
}

/** Messages a worker posts: progress, warnings, then its shard or an error. */
export type EvalWorkerMessage =
  | { kind: "progress"; done: number }
  | { kind: "warning"; message: string }
  | { kind: "shard"; shard: Awaited<ReturnType<typeof evaluateShard>> }
  | { kind: "error"; name: string; message: string };

const task = workerData as EvalWorkerTask;
const post = (message: EvalWorkerMessage) => parentPort!.postMessage(message);

const read = (path: string) => {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
};

try {
  const shard = await evaluateShard(
    task.models.map((m) => ({ name: m.name, bytes: read(m.path) })),
    task.images.map((image) => ({ name: image.name, label: image.label, bytes: () => read(image.file) })),
    { ...task.options, onProgress: (done) => post({ kind: "progress", done }), onWarning: (message) => post({ kind: "warning", message }) },
    task.first,
  );
  post({ kind: "shard", shard });
} catch (e) {
  post({ kind: "error", name: (e as Error).name, message: (e as Error).message });
}
