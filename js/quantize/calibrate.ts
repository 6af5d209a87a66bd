// Calibration: run the float model over representative samples with every tensor preserved,
// and feed each activation tensor (graph inputs and operator outputs) to its observer.
import { abortCheckpoint } from "../abort.js";
import { imageInputSize, imageToInput } from "../classify.js";
import { ImageError, InputError } from "../errors.js";
import type { Model, TensorData } from "../model.js";
import type { ModelDef } from "../tflite/types.js";
import { DEFAULT_BINS, type MethodSpec, neededHistograms, TensorObserver } from "./observers.js";

/**
 * One calibration sample: encoded image bytes (JPEG, PNG or BMP; preprocessed as the float
 * model expects), a float32 input tensor (models with one input) or one tensor per input;
 * optionally named for warnings.
 */
export type CalibrationData = Uint8Array | Float32Array | Float32Array[];
export type CalibrationSample = CalibrationData | { name: string; data: CalibrationData };

export interface CalibrationProgress {
  phase: "calibrate";
  /** Samples used so far. */
  done: number;
  /** Samples expected in all, when known. */
  total: number | null;
  /** Images skipped because they could not be decoded. */
  skipped: number;
  elapsedMs: number;
}

export interface CalibrateOptions {
  method: MethodSpec;
  /** Histogram bins per tensor (default 2048). */
  bins?: number;
  /** Use at most this many samples. */
  count?: number;
  /** Image samples: float normalisation (pixel − mean) / std (default 127.5, 127.5) and crop. */
  mean?: number[];
  std?: number[];
  crop?: number;
  onProgress?: (progress: CalibrationProgress) => void;
  onWarning?: (message: string) => void;
  /** Stops the calibration (rejecting with the signal's reason) when aborted. */
  signal?: AbortSignal;
}

export interface CalibrationResult {
  /** Observers by tensor index of the float model. */
  observers: Map<number, TensorObserver>;
  /** Samples used. */
  samples: number;
  /** Image samples skipped (undecodable), with the reason. */
  skipped: { name: string; reason: string }[];
  seconds: number;
  samplesPerSecond: number;
}

/** Indices of the float model's activation tensors: graph inputs and operator outputs. */
export function activationTensors(def: ModelDef): number[] {
  const subgraph = def.subgraphs[0];
  const set = new Set<number>(subgraph.inputs);
  for (const op of subgraph.operators) for (const t of op.outputs) set.add(t);
  return [...set].filter((t) => subgraph.tensors[t]?.type === "float32").sort((a, b) => a - b);
}

function sampleCount(samples: unknown, count: number | undefined): number | null {
  const length = Array.isArray(samples) ? samples.length : null;
  if (length === null) return count ?? null;
  return count === undefined ? length : Math.min(length, count);
}

/**
 * Runs `model` (a float model loaded with preserveAllTensors) over the samples and returns the
 * observers of its activation tensors. Undecodable images are skipped with a warning.
 */
export async function calibrate(
  model: Model, def: ModelDef,
  samples: Iterable<CalibrationSample> | AsyncIterable<CalibrationSample>,
  options: CalibrateOptions,
): Promise<CalibrationResult> {
  const histograms = neededHistograms(options.method);
  const bins = options.bins ?? DEFAULT_BINS;
  const observers = new Map(activationTensors(def).map((t) => [t, new TensorObserver(histograms, bins)]));
  const limit = options.count ?? Infinity;
  if (!(limit >= 1)) throw new InputError(`the calibration count must be at least 1, got ${options.count}`);
  const total = sampleCount(samples, options.count);
  const skipped: CalibrationResult["skipped"] = [];
  const start = performance.now();
  let done = 0;
  const checkpoint = abortCheckpoint(options.signal);
  for await (const sample of samples as AsyncIterable<CalibrationSample>) {
    if (done >= limit) break;
    await checkpoint();
    const name = isNamed(sample) ? sample.name : `sample ${done + skipped.length}`;
    const data = isNamed(sample) ? sample.data : sample;
    let tensors: TensorData[];
    try {
      tensors = toInputs(model, data, name, options);
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      skipped.push({ name, reason: e.message });
      options.onWarning?.(`skipped ${name}: ${e.message}`);
      continue;
    }
    model.runAll(tensors);
    for (const [index, observer] of observers) observer.observe(model.tensor(index) as Float32Array);
    done++;
    options.onProgress?.({ phase: "calibrate", done, total, skipped: skipped.length, elapsedMs: performance.now() - start });
  }
  for (const [index, observer] of observers) {
    if (observer.nonFinite > 0) {
      options.onWarning?.(`tensor ${index} ("${def.subgraphs[0].tensors[index].name}") had ${observer.nonFinite} NaN or infinite values; they were ignored`);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { observers, samples: done, skipped, seconds, samplesPerSecond: seconds > 0 ? done / seconds : 0 };
}

function isNamed(sample: CalibrationSample): sample is { name: string; data: CalibrationData } {
  return typeof sample === "object" && sample !== null && !ArrayBuffer.isView(sample) && !Array.isArray(sample);
}

function toInputs(model: Model, data: CalibrationData, name: string, options: CalibrateOptions): TensorData[] {
  if (data instanceof Uint8Array) {
    imageInputSize(model);
    return [imageToInput(model, data, { mean: options.mean, std: options.std, crop: options.crop })];
  }
  const tensors = Array.isArray(data) ? data : [data];
  if (tensors.length !== model.inputs.length) {
    throw new InputError(`calibration ${name} has ${tensors.length} tensors; the model has ${model.inputs.length} inputs`);
  }
  tensors.forEach((t, k) => {
    if (!(t instanceof Float32Array)) throw new InputError(`calibration ${name}: input ${k} must be a Float32Array (or the sample encoded image bytes)`);
  });
  return tensors;
}
