// Hostile input at CI size: thousands of mutated models, images and JPEGs (test/fuzz/) with fixed
// seeds, on up to two worker threads. Every case must load and run (models) or decode (images)
// correctly, or fail with a ModelError / ImageError; `npm run fuzz` runs more.
import { availableParallelism } from "node:os";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type FuzzKind } from "./fuzz/cases.js";
import { formatTally } from "./fuzz/outcome.js";
import { fuzz } from "./fuzz/pool.js";

const RUNS: { kind: FuzzKind; cases: number; seed: number }[] = [
  { kind: "models", cases: 6000, seed: 20_240_601 },
  { kind: "images", cases: 2500, seed: 20_240_602 },
  { kind: "jpegs", cases: 2000, seed: 20_261_208 },
];
const JOBS = Math.min(2, availableParallelism());

for (const { kind, cases, seed } of RUNS) {
  test(`fuzz: ${cases} mutated ${kind} (seed ${seed}) end well or in a typed error`, async () => {
    const start = performance.now();
    const tally = await fuzz({ kind, cases, seed, jobs: JOBS });
    console.log(formatTally(`  ${kind}`, tally, (performance.now() - start) / 1000, { topLabels: 8, brief: true }));
    assert.is(tally.cases, cases);
    assert.equal(tally.failures.map((f) => `case ${f.index}: ${f.name}: ${f.label}`), []);
    assert.ok(tally.byVerdict.ok > cases / 10, `only ${tally.byVerdict.ok} cases ran to the end`);
  });
}

test.run();
