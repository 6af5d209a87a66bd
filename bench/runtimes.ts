// `npm run bench:runtimes [-- --json] [-- --runs N] [-- --cold N] [-- --only node20,deno,...]`
// Cold start and steady latency of both MobileNetV2 models (TF2 int8, TF1 uint8) in every
// runtime the cross-runtime tests cover: Node 20, Node 22, Deno, Bun, workerd, Chromium. The
// measurements are test/runtimes/measure.ts, run in each runtime by the same runners as the
// tests (test/runtimes/harness.ts):
// - cold: a fresh process / workerd process / browser per sample: import quantlite, Model.load,
//   first output (median of --cold N samples, default 3). In workerd the import (and the wasm
//   compile) happen while the isolate starts, before the Worker's code runs: not counted.
// - steady: one process per model: 10 warm-up inferences, then --runs N (default 40) timed
//   model.run calls over 8 golden input rows; median and minimum.
// Progress goes to stderr; stdout gets one table, or the JSON with --json.
import { DATA_DIR, type Session, log, missingData, runtimes, table } from "../test/runtimes/harness.js";
import { MODELS } from "../test/runtimes/check.js";
import type { ColdResult, ModelKey, SteadyResult } from "../test/runtimes/measure.js";

interface Options {
  json: boolean;
  runs: number;
  cold: number;
  only: Set<string> | null;
}

interface Row {
  runtime: string;
  model: ModelKey;
  cold: ColdResult[];
  steady: SteadyResult | null;
  error: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, runs: 40, cold: 3, only: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const int = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) usage(`${flag} needs a positive integer`);
      return v;
    };
    if (flag === "--json") o.json = true;
    else if (flag === "--runs") o.runs = int();
    else if (flag === "--cold") o.cold = int();
    else if (flag === "--only") o.only = new Set((argv[++i] ?? "").split(",").filter(Boolean));
    else usage(`unknown option ${flag}`);
  }
  return o;
}

function usage(message: string): never {
  console.error(`${message}\nusage: bench:runtimes [--json] [--runs N] [--cold N] [--only node20,node22,deno,bun,workerd,chromium]`);
  process.exit(2);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmt = (ms: number | null) => (ms === null ? "–" : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const absent = missingData();
  if (absent.length > 0) throw new Error(`bench data missing under ${DATA_DIR}: ${absent.join(", ")} (set QUANTLITE_DATA)`);
  const rows: Row[] = [];
  for (const runtime of runtimes()) {
    if (o.only !== null && !o.only.has(runtime.name.replace(" ", ""))) continue;
    const missing = runtime.missing();
    if (missing !== null) {
      log(`${runtime.name}: skipped (${missing})`);
      continue;
    }
    let session: Session | null = null;
    try {
      session = await runtime.start();
      for (const { key } of MODELS) {
        const row: Row = { runtime: runtime.name, model: key, cold: [], steady: null, error: null };
        rows.push(row);
        try {
          for (let k = 0; k < o.cold; k++) {
            log(`${runtime.name} ${key}: cold start ${k + 1}/${o.cold}`);
            row.cold.push((await session.bench({ mode: "cold", model: key, runs: 0, warmup: 0 })) as ColdResult);
          }
          log(`${runtime.name} ${key}: steady, ${o.runs} runs`);
          row.steady = (await session.bench({ mode: "steady", model: key, runs: o.runs, warmup: 10 })) as SteadyResult;
        } catch (error) {
          row.error = error instanceof Error ? error.message : String(error);
          log(`${runtime.name} ${key}: ${row.error}`);
        }
      }
    } catch (error) {
      log(`${runtime.name}: ${error instanceof Error ? error.message : String(error)}`);
      rows.push({ runtime: runtime.name, model: MODELS[0].key, cold: [], steady: null, error: String(error) });
    } finally {
      await session?.close();
    }
  }
  const summary = rows.map((r) => {
    const pick = (f: (c: ColdResult) => number | null) => (r.cold.length === 0 || f(r.cold[0]) === null ? null : median(r.cold.map((c) => f(c)!)));
    return {
      runtime: r.runtime,
      model: MODELS.find((m) => m.key === r.model)!.file.split("/")[1],
      cold: { importMs: pick((c) => c.importMs), loadMs: pick((c) => c.loadMs), firstRunMs: pick((c) => c.firstRunMs), totalMs: pick((c) => c.totalMs), samples: r.cold.length },
      steady: r.steady,
      error: r.error,
    };
  });
  if (o.json) {
    console.log(JSON.stringify({ options: { runs: o.runs, cold: o.cold }, results: summary, raw: rows }, null, 2));
  } else {
    console.log(`\nquantlite across runtimes: cold start (median of ${o.cold} fresh processes/isolates/browsers) and steady latency (${o.runs} runs), ms\n`);
    console.log(
      table(
        ["runtime", "model", "import", "Model.load", "first run", "cold total", "steady median", "steady min"],
        summary.map((s) =>
          s.error !== null
            ? [s.runtime, s.model, "error", s.error.split("\n")[0].slice(0, 60), "", "", "", ""]
            : [s.runtime, s.model, fmt(s.cold.importMs), fmt(s.cold.loadMs), fmt(s.cold.firstRunMs), fmt(s.cold.totalMs), fmt(s.steady?.medianMs ?? null), fmt(s.steady?.minMs ?? null)],
        ),
      ),
    );
    console.log("\nimport: the quantlite entry (workerd: –, its modules and the wasm are compiled as the isolate starts); Model.load includes compiling the embedded wasm elsewhere.");
  }
  if (rows.some((r) => r.error !== null)) process.exitCode = 1;
}

await main();
