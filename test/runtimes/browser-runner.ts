// The Chromium runner: a module the orchestrator's page loads (harness.ts serves it, the built
// dist/ and the packed data). It imports quantlite's browser bundle by URL — one ES module with
// its dependencies, no bundler or import map — and exposes one function for Playwright to call.
import type { QuantliteApi } from "./check.js";
import { runChecks, unpack } from "./check.js";
import { type BenchTask, measure } from "./measure.js";
import { PHOTO, type SourcesApi, sourceChecks } from "./browser-sources.js";

const ENTRY = "/dist/browser/quantlite.js";

async function fetchPacked(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function quantliteRun(command: "check" | "bench", task?: BenchTask): Promise<unknown> {
  const importApi = () => import(ENTRY) as Promise<QuantliteApi>;
  if (command === "check") {
    const read = unpack(await fetchPacked("/packed/check"));
    const report = await runChecks(await importApi(), read, { runtime: "chromium", version: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent, entry: `${ENTRY} (browser condition)` });
    // Browser only: classifyAsync with every image source (browser-sources.ts); outside the digest.
    report.checks.push(...(await sourceChecks((await importApi()) as unknown as SourcesApi, read, await fetchPacked(`/data/${PHOTO}`))));
    return report;
  }
  const read = unpack(await fetchPacked(`/packed/bench-${task!.model}`));
  return measure(task!, read, { importApi });
}

(globalThis as unknown as { quantliteRun: typeof quantliteRun }).quantliteRun = quantliteRun;
