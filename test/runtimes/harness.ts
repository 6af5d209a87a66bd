// The orchestrator's side of the cross-runtime tests and benchmark (Node only): where each
// runtime's binary is, and one Session per runtime that runs check.ts / measure.ts in it:
// - Node 20, Node 22, Deno, Bun: a child process per task (run-<runtime>.js), reading the data
//   from QUANTLITE_DATA itself;
// - workerd: the runner Worker bundled once by Wrangler (workerd condition), then served by
//   workerd itself from a generated config, a fresh workerd process per task; data POSTed packed;
// - Chromium (Debian's, driven by playwright-core): a fresh browser per task, on a page served by
//   a local server that also serves dist/ and the packed data.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CAT, dataRanges, type DataRange, MODELS, pack, type RuntimeReport } from "./check.js";
import { PHOTO } from "./browser-sources.js";
import { benchRanges, type BenchTask, type ColdResult, type ModelKey, type SteadyResult } from "./measure.js";
import { RESULT_MARKER } from "./runner.js";

export const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository (this file is dist/test/runtimes/harness.js). */
export const ROOT = resolve(HERE, "../../..");
export const DATA_DIR = resolve(process.env.QUANTLITE_DATA ?? "../shared");
const BIN = join(ROOT, "node_modules", ".bin");
export const CHROMIUM = process.env.QUANTLITE_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const COMPATIBILITY_DATE = "2025-09-01";
/** Wrangler must not reach for the network (Request.cf data, metrics). */
const WRANGLER_ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" };

export type BenchResult = ColdResult | SteadyResult;

export interface Session {
  check(): Promise<RuntimeReport>;
  /** Cold tasks always get a fresh process, isolate or browser. */
  bench(task: BenchTask): Promise<BenchResult>;
  close(): Promise<void>;
}

export interface Runtime {
  name: string;
  /** Why it cannot run here, or null. */
  missing(): string | null;
  start(): Promise<Session>;
}

/** A plain text table: a header, a rule, and the rows, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function log(message: string): void {
  process.stderr.write(message + "\n");
}

/** Files the checks and the benchmark read, that are missing from DATA_DIR. */
export function missingData(): string[] {
  const paths = new Set([...dataRanges().map((r) => r.path), CAT, PHOTO]);
  return [...paths].filter((p) => !existsSync(join(DATA_DIR, p)));
}

/** The machine's Node: the first on PATH outside node_modules (npm puts node_modules/.bin, where the `node` package links Node 22, first). */
export function machineNode(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.split(sep).includes("node_modules")) continue;
    if (existsSync(join(dir, "node"))) return join(dir, "node");
  }
  return process.execPath;
}

function readRanges(ranges: DataRange[]): Uint8Array<ArrayBuffer> {
  const files = new Map<string, Uint8Array>();
  const parts = ranges.map((r) => {
    let bytes = files.get(r.path);
    if (bytes === undefined) files.set(r.path, (bytes = new Uint8Array(readFileSync(join(DATA_DIR, r.path)))));
    return r.start === undefined ? bytes : bytes.subarray(r.start, r.end);
  });
  return pack(ranges, parts);
}

/** The packed data of the checks, or of one model's benchmark (cached: they are a few MB). */
const packedCache = new Map<string, Uint8Array<ArrayBuffer>>();
export function packed(name: "check" | `bench-${ModelKey}`): Uint8Array<ArrayBuffer> {
  let bytes = packedCache.get(name);
  if (bytes === undefined) {
    bytes = readRanges(name === "check" ? dataRanges() : benchRanges(name.slice("bench-".length) as ModelKey));
    packedCache.set(name, bytes);
  }
  return bytes;
}

function parseResult<T>(stdout: string, what: string): T {
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  if (line === undefined) throw new Error(`${what}: no result line in its output:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as T;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A runtime whose runner is a process that reads the data itself. */
function processRuntime(name: string, binary: string, args: (runner: string) => string[], runnerFile: string, missing: () => string | null = () => null): Runtime {
  const runner = join(HERE, runnerFile);
  const invoke = async <T>(runnerArgs: string[]): Promise<T> => {
    const { code, stdout, stderr } = await run(binary, [...args(runner), ...runnerArgs]);
    if (code !== 0) throw new Error(`${name} exited with ${code}: ${stderr.slice(-2000)}`);
    return parseResult<T>(stdout, name);
  };
  return {
    name,
    missing: () => (existsSync(binary) ? missing() : `${binary} not found`),
    async start() {
      return {
        check: () => invoke<RuntimeReport>(["check", DATA_DIR]),
        bench: (task) => invoke<BenchResult>(["bench", DATA_DIR, JSON.stringify(task)]),
        close: async () => {},
      };
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createNetServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}

/** Polls url until it answers (any status) or the time runs out. */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      if (!alive()) throw new Error(`${url}: the server exited`);
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Bundles a Worker as `wrangler deploy` would (without deploying): returns the output folder. */
export async function bundleWorker(script: string, outdir: string): Promise<{ outdir: string; summary: string }> {
  const args = [join(BIN, "wrangler"), "deploy", "--dry-run", "--outdir", outdir, "--name", "quantlite-runtime-test", "--compatibility-date", COMPATIBILITY_DATE, script];
  // Run from the output's parent folder, where Wrangler may leave its .wrangler/ state.
  const { code, stdout, stderr } = await run(join(BIN, "node"), args, { env: WRANGLER_ENV, cwd: dirname(outdir) });
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}):\n${stdout}\n${stderr}`);
  return { outdir, summary: stdout.split("\n").find((l) => l.includes("Total Upload")) ?? "" };
}

/**
 * Bundles a Wrangler project folder (its wrangler.toml, [build] step and module rules) as
 * `wrangler deploy` would, without deploying: returns the output folder and the size summary.
 */
export async function bundleWranglerProject(dir: string, outdir: string): Promise<{ outdir: string; summary: string }> {
  const args = [join(BIN, "wrangler"), "deploy", "--dry-run", "--outdir", outdir];
  const { code, stdout, stderr } = await run(join(BIN, "node"), args, { env: { ...WRANGLER_ENV, QUANTLITE_DATA: DATA_DIR }, cwd: dir, timeoutMs: 180_000 });
  if (code !== 0) throw new Error(`wrangler deploy --dry-run in ${dir} failed (${code}):\n${stdout}\n${stderr}`);
  return { outdir, summary: stdout.split("\n").find((l) => l.includes("Total Upload")) ?? "" };
}

/** A local HTTP server (workerd, or `wrangler dev`) on 127.0.0.1: its URL, its output so far, and a stop function. */
export interface LocalServer {
  url: string;
  /** The server's process: workerd itself, or `wrangler dev` (the leader of the process group its workerd processes run in). */
  pid: number | undefined;
  output(): string;
  stop(): Promise<void>;
}

/** A workerd config (Cap'n Proto text) serving a bundle folder on 127.0.0.1:port. */
function workerdConfig(outdir: string, port: number): string {
  // Wrangler writes the bundle as <script name>.js, plus one file per wasm / data module.
  const files = readdirSync(outdir);
  const main = files.filter((f) => f.endsWith(".js"));
  if (main.length !== 1) throw new Error(`${outdir}: expected one .js bundle, found ${main.join(", ") || "none"}`);
  const modules = [
    `(name = ${JSON.stringify(main[0])}, esModule = embed ${JSON.stringify(main[0])})`, // the main module comes first
    ...files.filter((f) => f.endsWith(".wasm")).map((f) => `(name = ${JSON.stringify(f)}, wasm = embed ${JSON.stringify(f)})`),
    ...files.filter((f) => f.endsWith(".tflite") || f.endsWith(".bin")).map((f) => `(name = ${JSON.stringify(f)}, data = embed ${JSON.stringify(f)})`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;
}

/** Starts workerd on a bundle folder; returns its URL and a stop function. */
export async function startWorkerd(outdir: string): Promise<LocalServer> {
  const port = await freePort();
  const config = join(outdir, "workerd.capnp");
  writeFileSync(config, workerdConfig(outdir, port));
  const child = spawn(join(BIN, "workerd"), ["serve", config], { cwd: outdir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let exited = false;
  const closed = new Promise<void>((r) => child.on("close", () => ((exited = true), r())));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url, 20_000, () => !exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
  return {
    url,
    pid: child.pid,
    output: () => stderr,
    stop: async () => {
      if (!exited) child.kill("SIGTERM");
      await closed;
    },
  };
}

/**
 * Starts `wrangler dev` (local workerd, no network: CLOUDFLARE_CF_FETCH_ENABLED=false) in a
 * Wrangler project folder, on 127.0.0.1 and a free port; waits until it answers.
 */
export async function startWranglerDev(dir: string, timeoutMs = 60_000): Promise<LocalServer> {
  const port = await freePort();
  const args = [join(BIN, "wrangler"), "dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"];
  const child = spawn(join(BIN, "node"), args, {
    cwd: dir,
    env: { ...WRANGLER_ENV, QUANTLITE_DATA: DATA_DIR },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so that wrangler's workerd children stop with it
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let exited = false;
  const closed = new Promise<void>((r) => child.on("close", () => ((exited = true), r())));
  const signal = (name: NodeJS.Signals) => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // the group is already gone
    }
  };
  const stop = async () => {
    signal("SIGTERM");
    await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
    signal("SIGKILL");
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, timeoutMs, () => !exited);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${out.slice(-2000)}`);
  }
  return { url, pid: child.pid, output: () => out, stop };
}

async function postJson<T>(url: string, body: Uint8Array<ArrayBuffer>): Promise<T> {
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/octet-stream" } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 2000)}`);
  return JSON.parse(text) as T;
}

function workerdRuntime(): Runtime {
  return {
    name: "workerd",
    missing: () => (existsSync(join(BIN, "workerd")) && existsSync(join(BIN, "wrangler")) ? null : "workerd / wrangler not installed (npm install)"),
    async start() {
      const dir = mkdtempSync(join(tmpdir(), "quantlite-workerd-"));
      const { outdir, summary } = await bundleWorker(join(HERE, "workerd-worker.js"), join(dir, "bundle"));
      log(`  workerd: runner Worker bundled (${summary.trim()})`);
      const withWorkerd = async <T>(path: string, body: Uint8Array<ArrayBuffer>): Promise<T> => {
        const server = await startWorkerd(outdir);
        try {
          return await postJson<T>(server.url + path, body);
        } finally {
          await server.stop();
        }
      };
      return {
        check: async () => {
          const report = await withWorkerd<RuntimeReport>("/check", packed("check"));
          const version = spawnSync(join(BIN, "workerd"), ["--version"], { encoding: "utf8" }).stdout.trim();
          return { ...report, version: `${version} (${report.version})` };
        },
        bench: (task) => withWorkerd<BenchResult>(`/bench?task=${encodeURIComponent(JSON.stringify(task))}`, packed(`bench-${task.model}`)),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

const RUNNER_PAGE = `<!doctype html><meta charset="utf-8"><title>quantlite runtime checks</title>
<script type="module" src="/dist/test/runtimes/browser-runner.js"></script>`;

/**
 * The Chromium runner's server: the runner page, dist/, the packed data and the photo of
 * browser-sources.ts, on 127.0.0.1. Its COOP/COEP headers make the page cross-origin isolated,
 * so LoadOptions.threads runs there too.
 */
async function startRunnerServer(): Promise<{ url: string; server: Server }> {
  const dist = join(ROOT, "dist");
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const send = (status: number, body: string | Uint8Array, type = "text/plain; charset=utf-8") => {
      response.writeHead(status, {
        "content-type": type, "cache-control": "no-store",
        "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp",
      });
      response.end(body);
    };
    try {
      if (path === "/") return send(200, RUNNER_PAGE, CONTENT_TYPES[".html"]);
      if (path === "/packed/check" || path === "/packed/bench-tf2" || path === "/packed/bench-tf1") {
        return send(200, packed(path.slice("/packed/".length) as "check"), "application/octet-stream");
      }
      if (path === `/data/${PHOTO}`) return send(200, readFileSync(join(DATA_DIR, PHOTO)), "image/jpeg");
      if (path.startsWith("/dist/")) {
        const file = resolve(dist, "." + path.slice("/dist".length));
        if (file.startsWith(dist + sep) && existsSync(file)) return send(200, readFileSync(file), CONTENT_TYPES[extname(file)] ?? "application/octet-stream");
      }
      send(404, "not found");
    } catch (error) {
      send(500, String(error));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Launches Debian's Chromium through playwright-core with a fresh profile; returns the context and a cleanup. */
export async function launchChromium(): Promise<{ context: import("playwright-core").BrowserContext; close: () => Promise<void> }> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "quantlite-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 900 } });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function chromiumRuntime(): Runtime {
  return {
    name: "chromium",
    missing: () => (existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (apt-get install -y chromium)`),
    async start() {
      const { url, server } = await startRunnerServer();
      const inBrowser = async <T>(command: "check" | "bench", task?: BenchTask): Promise<T> => {
        const browser = await launchChromium();
        try {
          const page = browser.context.pages()[0] ?? (await browser.context.newPage());
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(String(e)));
          await page.goto(url + "/");
          await page.waitForFunction(() => "quantliteRun" in globalThis, undefined, { timeout: 30_000 });
          const result = await page.evaluate(
            ([c, t]) => (globalThis as unknown as { quantliteRun: (c: string, t?: unknown) => Promise<unknown> }).quantliteRun(c, t),
            [command, task] as const,
          );
          if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
          return result as T;
        } finally {
          await browser.close();
        }
      };
      return {
        check: () => inBrowser<RuntimeReport>("check"),
        bench: (task) => inBrowser<BenchResult>("bench", task),
        close: () => new Promise<void>((r) => server.close(() => r())),
      };
    },
  };
}

export function runtimes(): Runtime[] {
  const node20 = machineNode();
  const node22 = join(ROOT, "node_modules", "node", "bin", "node");
  const version = (bin: string) => spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
  const nodeMajor = (bin: string, major: number) => () => {
    const v = version(bin);
    return v.startsWith(`v${major}.`) ? null : `${bin} is ${v || "not runnable"}, not Node ${major}`;
  };
  return [
    processRuntime("node 20", node20, (r) => [r], "run-node.js", nodeMajor(node20, 20)),
    processRuntime("node 22", node22, (r) => [r], "run-node.js", nodeMajor(node22, 22)),
    processRuntime("deno", join(BIN, "deno"), (r) => ["run", "--allow-read", r], "run-deno.js"),
    processRuntime("bun", join(BIN, "bun"), (r) => [r], "run-bun.js"),
    workerdRuntime(),
    chromiumRuntime(),
  ];
}

export { MODELS };
