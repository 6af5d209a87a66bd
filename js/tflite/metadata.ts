// The TFLite metadata a model may carry (tflite-support's metadata_schema.fbs, a flatbuffer in the
// model buffer named "TFLITE_METADATA"): here only the normalisation (x − mean) / std of input 0,
// from ModelMetadata → subgraph_metadata[0] → input_tensor_metadata[0] → process_units[] →
// NormalizationOptions. Read with read.ts's checked flatbuffer access (every offset bounds-checked,
// work bounded by the buffer's size); values are validated. Metadata is optional and TFLite itself
// never reads it, so a broken one makes the model load without it; `problem` says why.
import { ModelError } from "../errors.js";
import { CheckedBuffer, type Table } from "./read.js";
import type { ModelDef } from "./types.js";

export const METADATA_BUFFER_NAME = "TFLITE_METADATA";

// Field ids (vtable slot = 4 + 2 × id) of the metadata_schema.fbs tables read here.
const MODEL_METADATA = { name: 0, description: 1, version: 2, subgraphMetadata: 3 } as const;
const SUBGRAPH_METADATA = { name: 0, description: 1, inputTensorMetadata: 2 } as const;
const TENSOR_METADATA = { name: 0, description: 1, dimensionNames: 2, content: 3, processUnits: 4 } as const;
const PROCESS_UNIT = { optionsType: 0, options: 1 } as const;
const NORMALIZATION_OPTIONS = { mean: 0, std: 1 } as const;
/** ProcessUnitOptions union: NormalizationOptions is type 1. */
const NORMALIZATION_OPTIONS_TYPE = 1;

/** Per-channel (or one common) mean and standard deviation: the input value is (x − mean) / std. */
export interface Normalization {
  mean: number[];
  std: number[];
}

export interface MetadataNormalization {
  /** Input 0's normalisation from the metadata, or null (no metadata, none given, or unusable). */
  normalization: Normalization | null;
  /** Why metadata that is present could not be used, or null. */
  problem: string | null;
}

/** Input 0's NormalizationOptions from the model's TFLite metadata. Never throws for bad metadata. */
export function metadataNormalization(def: ModelDef): MetadataNormalization {
  const entry = def.metadata.find((m) => m.name === METADATA_BUFFER_NAME);
  if (entry === undefined) return { normalization: null, problem: null };
  const bytes = def.buffers[entry.buffer];
  if (bytes === undefined || bytes.length === 0) return { normalization: null, problem: `metadata buffer ${entry.buffer} is missing or empty` };
  try {
    return { normalization: readNormalization(bytes), problem: null };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return { normalization: null, problem: e.message.replace(/^corrupt TFLite model: /, "corrupt metadata: ") };
  }
}

function readNormalization(bytes: Uint8Array): Normalization | null {
  const buf = new CheckedBuffer(bytes);
  if (bytes.length < 8) buf.fail("metadata", `only ${bytes.length} bytes`);
  const model = buf.table(buf.follow(0, "metadata"), MODEL_METADATA, "metadata");
  const subgraph = model.tables("subgraphMetadata", SUBGRAPH_METADATA)[0];
  const input = subgraph?.tables("inputTensorMetadata", TENSOR_METADATA)[0];
  if (input === undefined) return null;
  for (const unit of input.tables("processUnits", PROCESS_UNIT)) {
    if (unit.uint8("optionsType", 0) !== NORMALIZATION_OPTIONS_TYPE) continue;
    const options = unit.table("options", NORMALIZATION_OPTIONS);
    if (options === null) continue;
    return checkedNormalization(options);
  }
  return null;
}

function checkedNormalization(options: Table<typeof NORMALIZATION_OPTIONS>): Normalization {
  const values = (name: "mean" | "std"): number[] => {
    const list = options.float32s(name) ?? [];
    // One value for every channel, or one per channel of an RGB image.
    if (list.length !== 1 && list.length !== 3) options.fail(`NormalizationOptions.${name} has ${list.length} values, not 1 or 3`);
    if (list.some((v) => !Number.isFinite(v) || (name === "std" && v === 0))) options.fail(`NormalizationOptions.${name} holds ${name === "std" ? "0 or " : ""}a non-finite value`);
    return list;
  };
  return { mean: values("mean"), std: values("std") };
}
