// Checks of the examples/ folder, run by `npm run test:runtimes` after the runtime checks:
// the Node, Deno and Bun command-line examples, the Cloudflare Worker under `wrangler dev` (12 and
// 24 MP phone JPEGs among the uploads: Node's answers, and workerd's memory; plus the bundle size
// from `wrangler deploy --dry-run`), and the browser page in Chromium,
// driven like a person would (URL and file inputs, a dropped file, a bad file), with a screenshot;
// then a dropped WebP (the browser's decoder, in the example's Worker) and a dropped 12 MP JPEG,
// during which no main-thread task may last over 200 ms (PerformanceObserver "longtask").
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Server } from "node:http";
import { classify, Model } from "../../js/index.js";
import { BIG_HEIGHT, BIG_WIDTH, bigPhotoJpeg, phonePhotoJpeg } from "./big-photo.js";
import { CAT } from "./check.js";
import { DATA_DIR, type LocalServer, ROOT, bundleWranglerProject, launchChromium, log, machineNode, startWranglerDev } from "./harness.js";

export interface ExampleResult {
  name: string;
  ok: boolean;
  detail: string;
}

const BIN = join(ROOT, "node_modules", ".bin");
const TF1 = "models/mobilenet_v2_1.0_224_quant.tflite";
const TF2 = "models/tf2_mobilenet_v2_1.0_224_ptq.tflite";
const WORKER_DIR = join(ROOT, "examples/cloudflare-worker");
/** Where the browser example's screenshot goes (git-ignored). */
export const SCREENSHOT = join(ROOT, "test-output", "browser-example.png");

function runCommand(command: string, args: string[], cwd = ROOT, env = process.env): Promise<{ code: number | null; out: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out });
    });
  });
}

async function attempt(name: string, body: () => Promise<string>): Promise<ExampleResult> {
  try {
    return { name, ok: true, detail: await body() };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** examples/{node,deno,bun}: classify cat.bmp with the TF1 model. */
async function commandLineExamples(): Promise<ExampleResult[]> {
  const args = [join(DATA_DIR, TF1), join(DATA_DIR, CAT)];
  const cases: [string, string, string[]][] = [
    ["examples/node (node 20)", machineNode(), ["examples/node/classify.mjs", ...args]],
    ["examples/deno", join(BIN, "deno"), ["run", "--allow-read", "examples/deno/classify.ts", ...args]],
    ["examples/bun", join(BIN, "bun"), ["examples/bun/classify.ts", ...args]],
  ];
  return Promise.all(
    cases.map(([name, command, commandArgs]) =>
      attempt(name, async () => {
        const { code, out } = await runCommand(command, commandArgs);
        expect(code === 0, `exit ${code}: ${out.slice(-1000)}`);
        const first = out.split("\n").find((l) => /^\s*1\. |: Egyptian cat/.test(l)) ?? "";
        expect(first.includes("Egyptian cat"), `top-1 is not Egyptian cat:\n${out}`);
        return first.trim().replace(/\s+/g, " ").slice(0, 60);
      }),
    ),
  );
}

/** The example Worker type-checks against the package's types under the workerd condition. */
async function workerTypes(): Promise<ExampleResult> {
  return attempt("examples/cloudflare-worker: tsc (workerd types)", async () => {
    const { code, out } = await runCommand(machineNode(), [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "examples/cloudflare-worker"]);
    expect(code === 0, `tsc exited ${code}:\n${out.slice(-2000)}`);
    return "no type errors";
  });
}

/** `wrangler deploy --dry-run` of the example Worker: its upload size, raw and gzip. */
async function workerBundleSize(): Promise<ExampleResult> {
  return attempt("examples/cloudflare-worker bundle", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "quantlite-worker-bundle-"));
    try {
      const { summary } = await bundleWranglerProject(WORKER_DIR, outdir);
      const size = summary.match(/Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/);
      expect(size !== null, `no size in: ${summary}`);
      const gzipMB = (parseFloat(size![2]) * 1024) / 1e6;
      return `${size![1]}, gzip ${size![2]} (${gzipMB.toFixed(2)} MB; Workers allow 3 MB free, 10 MB paid)`;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
}

/** Phone photos for the Worker, made now (big-photo.ts): [what, JPEG bytes]. */
function phonePhotos(): [string, Buffer][] {
  const parrot = readFileSync(join(DATA_DIR, "images/samples/parrot.jpg"));
  return [
    ["12 MP 4032x3024", phonePhotoJpeg(parrot, 4032, 3024)],
    ["12 MP 4032x3024, EXIF orientation 6", phonePhotoJpeg(parrot, 3024, 4032, true)],
    ["24 MP 6000x4000", phonePhotoJpeg(parrot, 6000, 4000)],
  ];
}

/**
 * The memory of the workerd process that runs the Worker under `wrangler dev` (Linux /proc), in
 * MiB: the process's whole resident set, isolate included. Wrangler starts two workerd processes
 * in its process group: its proxy, on the public port, and the Worker's, the one given an
 * inspector address. null where there is no /proc or no such process.
 */
function workerdMemory(group: number | undefined): { rss(): number; resetPeak(): void; peak(): number } | null {
  if (group === undefined) return null;
  let pid: string | undefined;
  try {
    pid = readdirSync("/proc").find((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        const processGroup = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[2]);
        const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        return processGroup === group && args[0].endsWith("/workerd") && args.some((a) => a.startsWith("--inspector-addr"));
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    });
  } catch {
    return null;
  }
  if (pid === undefined) return null;
  const field = (name: string) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))![1]) / 1024;
  return {
    rss: () => field("VmRSS"),
    // Writing 5 to clear_refs sets the peak resident set (VmHWM) back to the current one.
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, "5"),
    peak: () => field("VmHWM"),
  };
}

/** examples/cloudflare-worker under `wrangler dev` (local workerd): usage, classifications (phone photos too), bad uploads. */
async function workerExample(): Promise<ExampleResult[]> {
  const name = "examples/cloudflare-worker: wrangler dev starts";
  // Node's answers for the phone photos, with the model the Worker ships (copy-model.mjs's default).
  const photos = phonePhotos();
  const model = await Model.load(new Uint8Array(readFileSync(join(DATA_DIR, TF1))));
  const nodeAnswers = photos.map(([, bytes]) => {
    const started = performance.now();
    const top = classify(model, new Uint8Array(bytes));
    return { top, ms: performance.now() - started };
  });
  model.dispose();
  let server: LocalServer;
  try {
    server = await startWranglerDev(WORKER_DIR);
  } catch (error) {
    return [{ name, ok: false, detail: error instanceof Error ? error.message : String(error) }];
  }
  const { url } = server;
  const started: ExampleResult = { name, ok: true, detail: url };
  try {
    const answer = async (init?: RequestInit) => {
      const response = await fetch(url, init);
      const type = response.headers.get("content-type") ?? "";
      expect(type.startsWith("application/json"), `content-type ${type}`);
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    return [
      started,
      await attempt("worker: GET / → usage JSON", async () => {
        const { status, body } = await answer();
        expect(status === 200 && typeof body.usage === "string", `${status} ${JSON.stringify(body)}`);
        return `200, model input [${body.model?.input?.shape}]`;
      }),
      await attempt("worker: POST cat.bmp → Egyptian cat", async () => {
        const { status, body } = await answer({ method: "POST", body: readFileSync(join(DATA_DIR, CAT)), headers: { "content-type": "image/bmp" } });
        // At most 5 classes, none scoring 0 (classify lists no zero-score class).
        const top: { label: string; score: number }[] | undefined = body.top;
        expect(status === 200 && top !== undefined && top.length >= 1 && top.length <= 5 && top.every((c) => c.score > 0) && top[0].label === "Egyptian cat", `${status} ${JSON.stringify(body)}`);
        return `top-1 ${body.top[0].label} ${body.top[0].score.toFixed(3)}; classify ${body.timings.classifyMs} ms, model load ${body.timings.modelLoadMs} ms`;
      }),
      await attempt("worker: POST parrot.jpg (multipart) → macaw", async () => {
        const form = new FormData();
        form.append("image", new Blob([readFileSync(join(DATA_DIR, "images/samples/parrot.jpg"))], { type: "image/jpeg" }), "parrot.jpg");
        const { status, body } = await answer({ method: "POST", body: form });
        expect(status === 200 && body.top?.[0]?.label === "macaw", `${status} ${JSON.stringify(body)}`);
        return `top-1 ${body.top[0].label}`;
      }),
      await attempt("worker: bad uploads → 4xx JSON", async () => {
        const cases: [string, RequestInit, number][] = [
          ["text", { method: "POST", body: "hello" }, 422],
          ["truncated JPEG", { method: "POST", body: readFileSync(join(DATA_DIR, "images/samples/parrot.jpg")).subarray(0, 2000) }, 422],
          ["empty", { method: "POST" }, 400],
          ["PUT", { method: "PUT", body: "x" }, 405],
        ];
        const seen: string[] = [];
        for (const [what, init, expected] of cases) {
          const { status, body } = await answer(init);
          expect(status === expected && typeof body.error === "string" && !/\n\s+at /.test(body.error), `${what}: ${status} ${JSON.stringify(body)}`);
          seen.push(`${what} ${status}`);
        }
        return seen.join(", ");
      }),
      ...(await phonePhotoChecks(answer, photos, nodeAnswers, workerdMemory(server.pid))),
    ];
  } finally {
    await server.stop();
  }
}

/**
 * POSTs of phone photos: each must get Node's top-5 (the same decoder, to the byte), a macaw.
 * Reports the Worker's timings and the workerd process's resident set before and at its peak.
 */
async function phonePhotoChecks(
  answer: (init?: RequestInit) => Promise<{ status: number; body: Record<string, any> }>,
  photos: [string, Buffer][],
  nodeAnswers: { top: { index: number; label: string | null; score: number }[]; ms: number }[],
  memory: ReturnType<typeof workerdMemory>,
): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  for (const [i, [what, bytes]] of photos.entries()) {
    results.push(
      await attempt(`worker: POST ${what} JPEG → Node's top-5`, async () => {
        const expected = nodeAnswers[i];
        memory?.resetPeak();
        const before = memory?.rss();
        const started = performance.now();
        const { status, body } = await answer({ method: "POST", body: new Uint8Array(bytes), headers: { "content-type": "image/jpeg" } });
        const seconds = (performance.now() - started) / 1000;
        const rss = memory === null ? "workerd RSS not measured (no /proc)" : `workerd RSS ${before!.toFixed(0)} → peak ${memory.peak().toFixed(0)} MiB`;
        expect(status === 200, `${status} ${JSON.stringify(body)}`);
        expect(JSON.stringify(body.top) === JSON.stringify(expected.top), `the Worker says ${JSON.stringify(body.top)}, Node ${JSON.stringify(expected.top)}`);
        expect(expected.top[0].label === "macaw", `top-1 ${expected.top[0].label}, not macaw`);
        const { classifyMs, totalMs } = body.timings;
        return `${(bytes.length / 1e6).toFixed(1)} MB: macaw ${body.top[0].score.toFixed(3)} = Node's; classify ${classifyMs} ms (Node ${expected.ms.toFixed(0)}), request ${totalMs} ms, ${seconds.toFixed(1)} s; ${rss}`;
      }),
    );
  }
  return results;
}

/** examples/browser in Chromium: model by URL and by file, images by file input and by drop, a bad image; a screenshot. */
async function browserExample(): Promise<ExampleResult[]> {
  process.env.QUANTLITE_DATA = DATA_DIR;
  const { createExampleServer } = (await import(pathToFileURL(join(ROOT, "examples/browser/serve.mjs")).href)) as { createExampleServer: () => Server };
  const server = createExampleServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const browser = await launchChromium();
  const results: ExampleResult[] = [];
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    const topLabel = () => page.locator("body").getAttribute("data-top");
    const waitTop = async (label: string) => {
      await page.waitForFunction((l) => document.body.dataset.top === l, label, { timeout: 30_000 }).catch(async () => {
        throw new Error(`top-1 is ${await topLabel()}, not ${label}; error box: ${await page.locator("#error").textContent()}`);
      });
      return `${label}; ${await page.locator("#timing").textContent()}`;
    };
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.ready === "true", undefined, { timeout: 30_000 });
    results.push(
      await attempt("browser: model from file input, parrot.jpg → macaw", async () => {
        await page.locator("#model-file").setInputFiles(join(DATA_DIR, TF2));
        await page.waitForFunction(() => document.body.dataset.model?.endsWith(".tflite"), undefined, { timeout: 30_000 });
        await page.locator("#image-file").setInputFiles(join(DATA_DIR, "images/samples/parrot.jpg"));
        return waitTop("macaw");
      }),
    );
    results.push(
      await attempt("browser: dropped owl.jpg → top-5 shown", async () => {
        const base64 = readFileSync(join(DATA_DIR, "images/samples/owl.jpg")).toString("base64");
        await page.evaluate((data) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], "owl.jpg", { type: "image/jpeg" }));
          delete document.body.dataset.top; // set again by this image's result
          document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }, base64);
        await page.waitForFunction(
          () => document.getElementById("drop-hint")?.textContent === "owl.jpg" && document.body.dataset.top !== undefined && document.querySelectorAll("#results li").length >= 1,
          undefined,
          { timeout: 30_000 },
        );
        return `top-1 ${await topLabel()}`;
      }),
    );
    results.push(
      await attempt("browser: a text file → ImageError shown", async () => {
        await page.locator("#image-file").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
        await page.locator("#error").waitFor({ state: "visible", timeout: 30_000 });
        const text = (await page.locator("#error").textContent()) ?? "";
        expect(text.startsWith("ImageError"), `error box: ${text}`);
        return text.slice(0, 60);
      }),
    );
    results.push(
      await attempt("browser: model from URL, cat.bmp → Egyptian cat", async () => {
        await page.locator("#model-url").fill("/models/mobilenet_v2_1.0_224_quant.tflite");
        await page.locator("#model-url-form button").click();
        await page.waitForFunction(() => document.body.dataset.model === "mobilenet_v2_1.0_224_quant.tflite", undefined, { timeout: 30_000 });
        await page.locator("#image-file").setInputFiles(join(DATA_DIR, CAT));
        const detail = await waitTop("Egyptian cat");
        expect(await page.locator("#error").isHidden(), "the error box is still shown");
        mkdirSync(join(ROOT, "test-output"), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        return `${detail}; screenshot test-output/browser-example.png`;
      }),
    );
    // The test's own files, served to the page at /test-data/ (not by serve.mjs).
    const parrot = readFileSync(join(DATA_DIR, "images/samples/parrot.jpg"));
    let bigPhoto: Buffer | null = null;
    await page.route("**/test-data/*", (route) => {
      const name = new URL(route.request().url()).pathname.split("/").pop();
      const body = name === "parrot.jpg" ? parrot : name === "photo-12mp.jpg" ? bigPhoto : null;
      return body === null ? route.fulfill({ status: 404 }) : route.fulfill({ body, contentType: "image/jpeg" });
    });
    /** Drops a File the page made (window.testFile) on the drop zone. */
    const dropTestFile = () =>
      page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add((window as unknown as { testFile: File }).testFile);
        delete document.body.dataset.top;
        document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
    results.push(
      await attempt("browser: dropped WebP (made by the page's canvas) → macaw", async () => {
        const type = await page.evaluate(async () => {
          const bitmap = await createImageBitmap(await (await fetch("/test-data/parrot.jpg")).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          canvas.getContext("2d")!.drawImage(bitmap, 0, 0);
          const webp = await canvas.convertToBlob({ type: "image/webp", quality: 0.9 });
          (window as unknown as { testFile: File }).testFile = new File([webp], "parrot.webp", { type: webp.type });
          return webp.type;
        });
        expect(type === "image/webp", `the canvas made ${type}`);
        await dropTestFile();
        return waitTop("macaw");
      }),
    );
    results.push(
      await attempt(`browser: dropped ${BIG_WIDTH}x${BIG_HEIGHT} JPEG → Node's answer, no main-thread task over 200 ms`, async () => {
        bigPhoto = bigPhotoJpeg(parrot);
        // The Worker decodes with quantlite's decoder: its answer must be Node's, to the byte.
        const { Model, classify } = (await import(pathToFileURL(join(ROOT, "dist/js/index.js")).href)) as typeof import("../../js/index.js");
        const model = await Model.load(new Uint8Array(readFileSync(join(DATA_DIR, TF1))));
        const expected = classify(model, new Uint8Array(bigPhoto))[0].label!;
        model.dispose();
        await page.evaluate(async () => {
          const blob = await (await fetch("/test-data/photo-12mp.jpg")).blob();
          const w = window as unknown as { testFile: File; longTasks: number[]; observer: PerformanceObserver };
          w.testFile = new File([blob], "photo-12mp.jpg", { type: "image/jpeg" });
          w.longTasks = [];
          w.observer = new PerformanceObserver((list) => w.longTasks.push(...list.getEntries().map((e) => e.duration)));
          w.observer.observe({ type: "longtask" });
        });
        const started = Date.now();
        await dropTestFile();
        await page.waitForFunction(() => document.body.dataset.top !== undefined || !document.getElementById("error")!.hidden, undefined, { timeout: 180_000 });
        const seconds = (Date.now() - started) / 1000;
        // Until the preview is decoded and two frames painted, then the observer's last entries.
        const { top, longTasks, error } = await page.evaluate(async () => {
          const w = window as unknown as { longTasks: number[]; observer: PerformanceObserver };
          await (document.getElementById("preview") as HTMLImageElement).decode();
          for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
          await new Promise((r) => setTimeout(r, 200));
          w.longTasks.push(...w.observer.takeRecords().map((e) => e.duration));
          w.observer.disconnect();
          return { top: document.body.dataset.top, longTasks: w.longTasks, error: document.getElementById("error")!.textContent };
        });
        expect(top === expected, `top-1 ${top}, Node says ${expected}; error box: ${error}`);
        const longest = Math.max(0, ...longTasks);
        const tasks = longTasks.length === 0 ? "no main-thread task over 50 ms" : `longest main-thread task ${longest.toFixed(0)} ms (${longTasks.length} over 50 ms)`;
        expect(longest <= 200, `${tasks}: ${longTasks.map((t) => t.toFixed(0)).join(", ")} ms`);
        return `${(bigPhoto.length / 1e6).toFixed(1)} MB, top-1 ${top} = Node's; ${tasks}; result after ${seconds.toFixed(1)} s; ${await page.locator("#timing").textContent()}`;
      }),
    );
    if (pageErrors.length > 0) results.push({ name: "browser: no uncaught page errors", ok: false, detail: pageErrors.join("; ") });
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
  return results;
}

export async function exampleChecks(options: { commandLine: boolean; worker: boolean; browser: boolean }): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  if (options.commandLine) {
    log("examples: node, deno, bun");
    results.push(...(await commandLineExamples()));
  }
  if (options.worker) {
    log("examples: cloudflare-worker (wrangler deploy --dry-run, wrangler dev)");
    results.push(await workerTypes());
    results.push(await workerBundleSize());
    results.push(...(await workerExample()));
  }
  if (options.browser) {
    log("examples: browser (chromium)");
    results.push(...(await browserExample().catch((error) => [{ name: "browser example", ok: false, detail: String(error) }])));
  }
  return results;
}
