// The workerd runner: a Worker, bundled by Wrangler (so `quantlite` resolves through the package's
// `workerd` condition, which imports quantlite.wasm as a compiled module) and served by workerd.
// The orchestrator POSTs the packed data (check.ts `pack`) to /check, or to /bench?task=JSON.
import * as quantlite from "quantlite";
import { type QuantliteApi, runChecks, unpack } from "./check.js";
import { type BenchTask, measure } from "./measure.js";

const api: QuantliteApi = quantlite;

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== "POST") return new Response("POST /check or /bench?task=JSON with the packed data\n", { status: 405 });
  const read = unpack(new Uint8Array(await request.arrayBuffer()));
  if (url.pathname === "/check") {
    return Response.json(await runChecks(api, read, { runtime: "workerd", version: navigator.userAgent, entry: "quantlite (workerd condition)" }));
  }
  if (url.pathname === "/bench") {
    const task = JSON.parse(url.searchParams.get("task") ?? "null") as BenchTask;
    return Response.json(await measure(task, read, { preloaded: api }));
  }
  return new Response("not found\n", { status: 404 });
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return await handle(request);
    } catch (error) {
      return Response.json({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, { status: 500 });
    }
  },
};
