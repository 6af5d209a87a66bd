// npm run fuzz -- --cases N --seed S [--kind models|images|all] [--jobs J] [--case I]
// Runs N cases of each kind (all: models and images) on J worker threads and prints the
// outcomes by class; exits with 1 if any case failed. --case I replays one case in this thread
// and prints what it was and how it ended.
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { CaseRunner, type FuzzKind } from "./cases.js";
import { formatTally } from "./outcome.js";
import { fuzz } from "./pool.js";

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    kind: { type: "string", default: "all" },
    jobs: { type: "string", default: String(availableParallelism()) },
    case: { type: "string" },
  },
});
const seed = Number(values.seed);
const cases = Number(values.cases);
const jobs = Number(values.jobs);
if (!["models", "images", "all"].includes(values.kind)) throw new Error(`--kind must be models, images or all, not ${values.kind}`);
const kinds: FuzzKind[] = values.kind === "all" ? ["models", "images"] : [values.kind as FuzzKind];

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
    const tally = await fuzz({ kind, cases, seed, jobs });
    console.log(formatTally(`${kind} (seed ${seed}, ${jobs} jobs)`, tally, (performance.now() - start) / 1000));
    failed += tally.failures.length;
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
