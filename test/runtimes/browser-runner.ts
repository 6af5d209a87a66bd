// The Chromium runner: a module the orchestrator's page loads (harness.ts serves it, the built
// dist/ and the packed data). It imports quantlite's browser bundle by URL — one ES module with
// its dependencies, no bundler or import map — and exposes one function for Playwright to call.
import type { QuantliteApi } from "./check.js";
import { runChecks, unpack } from "./check.js";
import { type BenchTask, measure } from "./measure.js";

const ENTRY = "/dist/browser/quantlite.js";

async function fetchPacked(path: string): Promise<Uint8Array> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function quantliteRun(command: "check" | "bench", task?: BenchTask): Promise<unknown> {
  const importApi = () => import(ENTRY) as Promise<QuantliteApi>;
  if (command === "check") {
    const read = unpack(await fetchPacked("/packed/check"));
    return runChecks(await importApi(), read, { runtime: "chromium", version: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent, entry: `${ENTRY} (browser condition)` });
  }
  const read = unpack(await fetchPacked(`/packed/bench-${task!.model}`));
  return measure(task!, read, { importApi });
}

(globalThis as unknown as { quantliteRun: typeof quantliteRun }).quantliteRun = quantliteRun;
