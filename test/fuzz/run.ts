// npm run fuzz -- [--cases N] --seed S [--kind models|images|jpegs|all] [--jobs J] [--case I]
// Runs N cases of each kind (all: models, images and jpegs; without --cases 1000 models, 1000
// images and 10000 JPEGs) on J worker threads and prints the
// outcomes by class; exits with 1 if any case failed. --case I replays one case in this thread
// and prints what it was and how it ended.
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { CaseRunner, type FuzzKind } from "./cases.js";
import { formatTally } from "./outcome.js";
import { fuzz } from "./pool.js";

const { values } = parseArgs({
  options: {
    cases: { type: "string" },
    seed: { type: "string", default: "1" },
    kind: { type: "string", default: "all" },
    jobs: { type: "string", default: String(availableParallelism()) },
    case: { type: "string" },
  },
});
const seed = Number(values.seed);
/** Cases per kind without --cases: JPEGs are quick (a few ms each) and the newest code. */
const DEFAULT_CASES: Record<FuzzKind, number> = { models: 1000, images: 1000, jpegs: 10_000 };
const jobs = Number(values.jobs);
if (!["models", "images", "jpegs", "all"].includes(values.kind)) throw new Error(`--kind must be models, images, jpegs or all, not ${values.kind}`);
const kinds: FuzzKind[] = values.kind === "all" ? ["models", "images", "jpegs"] : [values.kind as FuzzKind];

if (values.case !== undefined) {
  for (const kind of kinds) {
    const { name, outcome, ms } = await new CaseRunner(kind).run(seed, Number(values.case));
    console.log(`${kind} case ${values.case} (seed ${seed}): ${name}\n  ${outcome.verdict} in ${ms.toFixed(1)} ms: ${outcome.label}`);
    if (outcome.detail) console.log(`  ${outcome.detail}`);
  }
} else {
  let failed = 0;
  for (const kind of kinds) {
    const start = performance.now();
    const tally = await fuzz({ kind, cases: values.cases === undefined ? DEFAULT_CASES[kind] : Number(values.cases), seed, jobs });
    console.log(formatTally(`${kind} (seed ${seed}, ${jobs} jobs)`, tally, (performance.now() - start) / 1000));
    failed += tally.failures.length;
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
