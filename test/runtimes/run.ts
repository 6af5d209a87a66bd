// `npm run test:runtimes [-- --only node20,deno,... ] [-- --json]` (`--only browser-example`, or
// `worker-example`: that example alone, without the other examples)
// Runs check.ts in Node 20, Node 22, Deno, Bun, workerd and Chromium (see harness.ts for how),
// requires every runtime to compute the very same bytes (SHA-256 of all outputs), then checks
// the examples (examples.ts). Prints one summary table; exits 1 on any failure, or on a missing
// runtime (npm install brings all but Chromium: apt-get install -y chromium).
import { type RuntimeReport } from "./check.js";
import { type ExampleResult, exampleChecks } from "./examples.js";
import { DATA_DIR, type Runtime, log, missingData, runtimes, table } from "./harness.js";

interface Row {
  runtime: string;
  report: RuntimeReport | null;
  error: string | null;
  wallMs: number;
}

const NAMES = ["node20", "node22", "deno", "bun", "workerd", "chromium", "examples", "browser-example", "worker-example"];

function parseArgs(argv: string[]): { only: Set<string>; json: boolean } {
  let only = new Set(NAMES);
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") json = true;
    else if (argv[i] === "--only") {
      only = new Set((argv[++i] ?? "").split(",").filter(Boolean));
      for (const n of only) if (!NAMES.includes(n)) usage(`unknown runtime ${n}`);
    } else usage(`unknown option ${argv[i]}`);
  }
  return { only, json };
}

function usage(message: string): never {
  console.error(`${message}\nusage: test:runtimes [--only ${NAMES.join(",")}] [--json]`);
  process.exit(2);
}

const key = (r: Runtime) => r.name.replace(" ", "");

async function runOne(runtime: Runtime): Promise<Row> {
  const started = Date.now();
  const missing = runtime.missing();
  if (missing !== null) return { runtime: runtime.name, report: null, error: `not available: ${missing}`, wallMs: 0 };
  log(`${runtime.name}: running the checks`);
  try {
    const session = await runtime.start();
    try {
      return { runtime: runtime.name, report: await session.check(), error: null, wallMs: Date.now() - started };
    } finally {
      await session.close();
    }
  } catch (error) {
    return { runtime: runtime.name, report: null, error: error instanceof Error ? error.message : String(error), wallMs: Date.now() - started };
  }
}

async function main(): Promise<void> {
  const { only, json } = parseArgs(process.argv.slice(2));
  const absent = missingData();
  if (absent.length > 0) {
    const message = `test data missing under ${DATA_DIR}: ${absent.join(", ")} (set QUANTLITE_DATA)`;
    if (process.env.CI === "true") throw new Error(message);
    console.log(`skipped: ${message}`);
    return;
  }
  const rows: Row[] = [];
  for (const runtime of runtimes().filter((r) => only.has(key(r)))) rows.push(await runOne(runtime));
  const examples: ExampleResult[] = only.has("examples")
    ? await exampleChecks({ commandLine: true, worker: true, browser: true })
    : await exampleChecks({ commandLine: false, worker: only.has("worker-example"), browser: only.has("browser-example") });

  // Every runtime must produce the same bytes: compare each digest with the first one.
  const reference = rows.find((r) => r.report !== null)?.report?.digest ?? null;
  let passed = 0;
  let failed = 0;
  const failures: string[] = [];
  const status = (name: string, ok: boolean, detail: string) => {
    if (ok) passed++;
    else {
      failed++;
      failures.push(`${name}: ${detail}`);
    }
  };
  const cell = (report: RuntimeReport, prefix: string) => {
    const checks = report.checks.filter((c) => c.name.startsWith(prefix));
    if (checks.length === 0) return "-";
    return checks.every((c) => c.ok) ? (checks[0].detail.match(/^\d+\/\d+/)?.[0] ?? "ok") : "FAIL";
  };
  const tableRows = rows.map((row) => {
    if (row.report === null) {
      status(row.runtime, false, row.error ?? "no report");
      return [row.runtime, "-", "-", "FAIL", "FAIL", "FAIL", "FAIL", "FAIL", "-", "-", `${(row.wallMs / 1000).toFixed(1)} s`];
    }
    const r = row.report;
    for (const c of r.checks) status(`${row.runtime} ${c.name}`, c.ok, c.detail);
    const same = r.digest === reference;
    status(`${row.runtime} outputs identical to ${rows[0].runtime}'s`, same, `sha256 ${r.digest} vs ${reference}`);
    return [
      row.runtime,
      r.version,
      r.entry,
      cell(r, "tf2: 24"),
      cell(r, "tf1: 24"),
      `${cell(r, "tf2: classify")}/${cell(r, "tf1: classify")}`,
      `${cell(r, "tf2: bad")}/${cell(r, "tf1: bad")}`,
      cell(r, "threads") === "ok" ? "InputError" : cell(r, "threads"),
      r.digest.slice(0, 12),
      same ? "yes" : "NO",
      `${(row.wallMs / 1000).toFixed(1)} s`,
    ];
  });
  for (const e of examples) status(e.name, e.ok, e.detail);

  if (json) {
    console.log(JSON.stringify({ runtimes: rows, examples, passed, failed }, null, 2));
  } else {
    console.log("\nquantlite across runtimes (golden rows: outputs byte-identical to TFLite's reference; cat: classify(cat.bmp) = Egyptian cat)\n");
    console.log(table(["runtime", "version", "entry", "tf2 golden", "tf1 golden", "cat tf2/tf1", "ImageError", "threads: 2", "sha256", "same", "time"], tableRows));
    const sources = rows.flatMap((row) => (row.report?.checks ?? []).filter((c) => c.name.startsWith("sources: ")).map((c) => [row.runtime, c.name.slice("sources: ".length), c.ok ? "ok" : "FAIL", c.detail.slice(0, 110)]));
    if (sources.length > 0) {
      console.log("\nclassifyAsync with each image source (browser-sources.ts)\n");
      console.log(table(["runtime", "check", "result", "detail"], sources));
    }
    if (examples.length > 0) {
      console.log("\nexamples\n");
      console.log(table(["check", "result", "detail"], examples.map((e) => [e.name, e.ok ? "ok" : "FAIL", e.detail.split("\n")[0].slice(0, 140)])));
    }
    if (failures.length > 0) console.log(`\nfailures:\n${failures.map((f) => `- ${f}`).join("\n")}`);
    console.log(`\n${passed} passed, ${failed} failed`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
