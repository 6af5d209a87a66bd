// One inference on 1 thread against N threads (LoadOptions.threads): `npm run bench:threads
// [-- --threads 2,3] [--runs 100] [--models a,b] [--json]`.
//
// For each model in $QUANTLITE_DATA/models, loads it once per thread count in this process and
// measures them side by side: after a warm-up, each round runs every variant once, in an order
// that rotates from round to round, so that a noisy machine slows all of them alike. Reports the
// minimum and the median latency of each, the speed-ups over 1 thread (min/min and median/median),
// and checks that every variant's outputs equal the single-threaded ones.
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Model } from "../js/index.js";

interface Options {
  threads: number[];
  runs: number;
  warmup: number;
  models: string[];
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { threads: [2], runs: 100, warmup: 20, models: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case "--threads": o.threads = value().split(",").map(Number); break;
      case "--runs": o.runs = Number(value()); break;
      case "--warmup": o.warmup = Number(value()); break;
      case "--models": o.models = value().split(","); break;
      case "--json": o.json = true; break;
      default: fail(`unknown option ${argv[i]}`);
    }
  }
  if (o.threads.some((t) => !Number.isInteger(t) || t < 2)) fail("--threads takes thread counts of 2 or more, e.g. 2,3");
  if (!(o.runs >= 1) || !(o.warmup >= 0)) fail("--runs and --warmup take counts");
  return o;
}

function fail(message: string): never {
  console.error(`bench/threads: ${message}`);
  process.exit(2);
}

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
};

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(process.env.QUANTLITE_DATA ?? "../shared");
  const modelDir = path.join(dataDir, "models");
  const files = readdirSync(modelDir).filter((f) => f.endsWith(".tflite") && (o.models.length === 0 || o.models.some((m) => f.includes(m)))).sort();
  const samples = new Uint8Array(readFileSync(path.join(dataDir, "golden/samples.u8.bin")));
  const counts = [1, ...o.threads];
  const results = [];
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(path.join(modelDir, file)));
    const models = await Promise.all(counts.map((threads) => Model.load(bytes, { threads })));
    const info = models[0].inputs[0];
    const length = info.shape.reduce((a, b) => a * b, 1);
    const rows = Math.floor(samples.length / length);
    const input = (k: number) => {
      const row = samples.subarray((k % rows) * length, (k % rows + 1) * length);
      return info.dtype === "uint8" ? row.slice() : Int8Array.from(row, (v) => v - 128);
    };
    const inputs = Array.from({ length: Math.min(rows, 8) }, (_, k) => input(k));
    let identical = true;
    for (const x of inputs) {
      const want = new Uint8Array(models[0].run(x).buffer);
      for (const m of models.slice(1)) {
        const got = new Uint8Array(m.run(x).buffer);
        if (got.length !== want.length || got.some((v, i) => v !== want[i])) identical = false;
      }
    }
    for (let r = 0; r < o.warmup; r++) for (const m of models) m.run(inputs[r % inputs.length]);
    const times = counts.map(() => [] as number[]);
    for (let r = 0; r < o.runs; r++) {
      const x = inputs[r % inputs.length];
      for (let j = 0; j < models.length; j++) {
        const v = (r + j) % models.length; // rotate the order
        const start = performance.now();
        models[v].run(x);
        times[v].push(performance.now() - start);
      }
    }
    for (const m of models) m.dispose();
    const base = stats(times[0]);
    const variants = counts.map((threads, v) => {
      const s = stats(times[v]);
      return { threads, minMs: s.min, medianMs: s.median, speedupMin: base.min / s.min, speedupMedian: base.median / s.median };
    });
    results.push({ model: file, identical, variants });
    if (!o.json) {
      console.log(`${file}  (${o.runs} rounds; outputs ${identical ? "identical" : "DIFFER"})`);
      for (const v of variants) {
        console.log(`  ${String(v.threads).padStart(2)} thread${v.threads > 1 ? "s" : " "}  min ${v.minMs.toFixed(2).padStart(6)} ms  median ${v.medianMs.toFixed(2).padStart(6)} ms` +
          (v.threads > 1 ? `   speed-up ×${v.speedupMin.toFixed(2)} (min)  ×${v.speedupMedian.toFixed(2)} (median)` : ""));
      }
    }
  }
  const about = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg() };
  if (o.json) console.log(JSON.stringify({ ...about, results }, null, 2));
  else console.log(`Node ${about.node}, ${about.cpus} CPUs (${about.cpu}), load average ${about.load.map((l) => l.toFixed(2)).join(" ")}`);
  if (results.some((r) => !r.identical)) process.exitCode = 1;
}

await main();
