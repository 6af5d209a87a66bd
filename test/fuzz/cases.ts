// One fuzz case by kind, seed and number: case i of a run is made and checked from its own
// generator, so any case can be replayed alone (`npm run fuzz -- --kind K --seed S --case i`).
import { Rng } from "../random.js";
import { ImageCorpus, runImageCase } from "./images.js";
import { JpegCorpus, runJpegCase } from "./jpegs.js";
import { ModelCorpus, runModelCase } from "./models.js";
import { CASE_TIME_LIMIT_MS, type Outcome, errorDetail, errorLabel, failure } from "./outcome.js";

export type FuzzKind = "models" | "images" | "jpegs";

export function caseRng(seed: number, index: number): Rng {
  return new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

/** Sometimes the same bytes as a view at an odd offset into a larger buffer. */
function maybeUnaligned(bytes: Uint8Array, rng: Rng): Uint8Array {
  if (!rng.bool(0.1)) return bytes;
  const offset = rng.int(1, 7);
  const view = new Uint8Array(bytes.length + offset + rng.int(0, 8)).subarray(offset, offset + bytes.length);
  view.set(bytes);
  return view;
}

export interface CaseResult {
  name: string;
  outcome: Outcome;
  ms: number;
}

/** Makes and runs the cases of one kind; the corpus (real models or sample images) is read once. */
export class CaseRunner {
  private readonly models: ModelCorpus | null;
  private readonly images: ImageCorpus | null;
  private readonly jpegs: JpegCorpus | null;

  constructor(readonly kind: FuzzKind) {
    this.models = kind === "models" ? new ModelCorpus() : null;
    this.images = kind === "images" ? new ImageCorpus() : null;
    this.jpegs = kind === "jpegs" ? new JpegCorpus() : null;
  }

  /**
   * Runs case `index`. A case over the time limit runs a second time and the faster run counts,
   * so that a stall of the machine (other processes, a GC pause) is not blamed on the case.
   */
  async run(seed: number, index: number): Promise<CaseResult> {
    const first = await this.attempt(seed, index);
    if (first.ms <= CASE_TIME_LIMIT_MS) return first;
    const second = await this.attempt(seed, index);
    return second.ms < first.ms ? second : first;
  }

  private async attempt(seed: number, index: number): Promise<CaseResult> {
    const rng = caseRng(seed, index);
    const start = performance.now();
    let name = `fuzzer ${this.kind} case`;
    let outcome: Outcome;
    try {
      if (this.models !== null) {
        const c = this.models.makeCase(rng);
        name = c.name;
        outcome = await runModelCase({ ...c, bytes: maybeUnaligned(c.bytes, rng) }, rng);
      } else if (this.images !== null) {
        const c = this.images.makeCase(rng);
        name = c.name;
        outcome = runImageCase({ ...c, bytes: maybeUnaligned(c.bytes, rng) });
      } else {
        const c = this.jpegs!.makeCase(rng);
        name = c.name;
        outcome = runJpegCase({ ...c, bytes: maybeUnaligned(c.bytes, rng) });
      }
    } catch (error) {
      // Making the case failed: a bug in the fuzzer, reported like any other failure.
      outcome = failure(`fuzzer: ${errorLabel(error)}`, errorDetail(error));
    }
    return { name, outcome, ms: performance.now() - start };
  }
}
