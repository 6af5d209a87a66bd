// quantlite eval: accuracy, agreement, latency and size of models on labelled images, with an
// optional per-layer comparison of a float model and a quantized one; table, JSON or HTML.
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { ImageError, InputError, ModelError } from "../errors.js";
import { type EvalOptions, type EvalResult, type EvalShard, SHARD_ALIGNMENT, evaluate, mergeShards } from "../eval/evaluate.js";
import { renderHtml } from "../eval/html.js";
import { formatEval } from "../eval/table.js";
import { checkWritable, FileError, nonNegativeInteger, numberList, positiveInteger, readBytes, UsageError, writeFileAtomic } from "./common.js";
import type { EvalWorkerMessage, EvalWorkerTask } from "./eval-worker.js";
import { loadImageSet } from "./images.js";
import { Progress } from "./progress.js";

export const EVAL_USAGE =
  "quantlite eval --model A [--model B ...] --images DIR|LIST [--count N] [--skip N] [--labels FILE]\n" +
  "               [--per-layer] [--per-layer-count N] [--mean M] [--std S] [--crop F] [--jobs N] [--json] [--html FILE]";

export async function evalCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string", multiple: true }, images: { type: "string" }, count: { type: "string" }, skip: { type: "string" },
      labels: { type: "string" }, "per-layer": { type: "boolean" }, "per-layer-count": { type: "string" },
      mean: { type: "string" }, std: { type: "string" }, crop: { type: "string" }, json: { type: "boolean" }, html: { type: "string" },
      jobs: { type: "string" },
    },
  });
  const modelPaths = values.model ?? [];
  if (modelPaths.length === 0) throw new UsageError("eval needs at least one --model");
  if (!values.images) throw new UsageError("eval needs --images (a folder of images or a file listing them)");
  const skip = nonNegativeInteger(values.skip, "--skip") ?? 0;
  const count = positiveInteger(values.count, "--count");
  const crop = values.crop === undefined ? undefined : Number(values.crop);
  if (crop !== undefined && !(crop > 0 && crop <= 1)) throw new UsageError(`--crop must be in (0, 1], got ${values.crop}`);
  if (values.html) checkWritable(values.html, "--html");
  const { images, labels, found } = loadImageSet(values.images, { labels: values.labels, skip, count });
  if (images.length === 0) throw new UsageError(`no images to evaluate in ${values.images} (${found} found, --skip ${skip})`);
  if (images.every((image) => image.label === null)) {
    console.error(`quantlite: warning: none of the ${images.length} images has a label (${labels.description}): top-1 and top-5 cannot be measured, only agreement, latency and size`);
  }
  const jobs = positiveInteger(values.jobs, "--jobs") ?? availableParallelism();
  const models = modelPaths.map((path) => ({ name: basename(path), path, bytes: readBytes(path) }));
  const progress = new Progress("evaluating", images.length);
  const options: EvalOptions = {
    mean: numberList(values.mean, "--mean"), std: numberList(values.std, "--std"), crop,
    perLayer: values["per-layer"] ?? false, perLayerImages: positiveInteger(values["per-layer-count"], "--per-layer-count"),
  };
  const shards = Math.min(jobs, Math.ceil(images.length / SHARD_ALIGNMENT));
  const result = shards <= 1
    ? await evaluate(models, images, {
      ...options, onProgress: (done) => progress.update(done), onWarning: (message) => progress.note(`quantlite: warning: ${message}`),
    })
    : await evaluateInWorkers(models, images, options, shards, progress);
  progress.finish();
  if (values.html) {
    writeFileAtomic(values.html, renderHtml(result, {
      title: `quantlite eval: ${models.map((m) => m.name).join(", ")}`,
      notes: [`Images: ${values.images}, ${images.length} files from #${skip}. Labels: ${labels.description}.`],
    }));
  }
  if (values.json) {
    console.log(JSON.stringify(result, (_, v) => (v === Infinity ? "Infinity" : v), 2));
  } else {
    console.log(formatEval(result, { perLayerRows: 12 }));
    if (values.html) console.log(`\nreport: ${values.html}`);
  }
}

/**
 * The images cut into `shards` runs of consecutive images (each a multiple of SHARD_ALIGNMENT
 * long but the last), one worker thread each; the merged result equals one pass's, but for latency
 * (measured while the workers share the machine).
 */
async function evaluateInWorkers(
  models: { name: string; path: string }[], images: ReturnType<typeof loadImageSet>["images"], options: EvalOptions, shards: number, progress: Progress,
): Promise<EvalResult> {
  const start = performance.now();
  const size = Math.ceil(Math.ceil(images.length / SHARD_ALIGNMENT) / shards) * SHARD_ALIGNMENT;
  const done = new Array<number>(shards).fill(0);
  const results = await Promise.all(Array.from({ length: Math.ceil(images.length / size) }, (_, k) => new Promise<EvalShard>((resolve, reject) => {
    const first = k * size;
    const task: EvalWorkerTask = {
      models: models.map(({ name, path }) => ({ name, path })),
      images: images.slice(first, first + size).map(({ name, file, label }) => ({ name, file, label })),
      first, options,
    };
    const worker = new Worker(new URL("./eval-worker.js", import.meta.url), { workerData: task });
    worker.on("message", (message: EvalWorkerMessage) => {
      if (message.kind === "progress") {
        done[k] = message.done;
        progress.update(done.reduce((a, b) => a + b, 0));
      } else if (message.kind === "warning") {
        progress.note(`quantlite: warning: ${message.message}`);
      } else if (message.kind === "shard") {
        resolve(message.shard);
      } else {
        const Kind = { ModelError, ImageError, InputError, FileError }[message.name] ?? Error;
        reject(new Kind(message.message));
      }
    });
    worker.on("error", reject);
    worker.on("exit", (code) => { if (code !== 0) reject(new Error(`an eval worker stopped with exit code ${code}`)); });
  })));
  return mergeShards(results, (performance.now() - start) / 1000);
}
