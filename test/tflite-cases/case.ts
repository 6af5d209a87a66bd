// What a generator of TensorFlow Lite reference fixtures provides (test/tflite-cases/<group>.ts):
// one-operator (or small) models, optionally with their inputs. make.ts writes them to
// test/fixtures/tflite/<group>/, scripts/tflite-reference.py adds TFLite's outputs, and
// test/tflite-fixtures.test.ts compares quantlite with them.
import type { Rng } from "../random.js";

export interface FixtureCase {
  /** File name (letters, digits, `_`, `-`), unique in its group. */
  name: string;
  model: Uint8Array;
  /**
   * The raw bytes of every input tensor, per sample, in the model's input order. Default: SAMPLES
   * samples of uniform values over each input's dtype (float32 in [-4, 4); int32 needs inputs).
   */
  inputs?: Uint8Array[][];
}

/** The default number of samples per case. */
export const SAMPLES = 3;

/** A group's cases; `rng` is seeded from the group's name, so the files are reproducible. */
export type CaseMaker = (rng: Rng) => FixtureCase[];
