// quantlite on Cloudflare Workers: an image classifier.
//   GET  /            usage, and the model's input/output
//   POST /            the body is a JPEG, PNG or BMP (raw, or a multipart form's "image" file)
//                     → { top: [{ index, label, score }] × 5, timings: { ... } }
// The model ships with the Worker (a Data module, see wrangler.toml) and is loaded once per
// isolate, on the first request that needs it. `quantlite` resolves to the package's `workerd`
// entry, which imports quantlite.wasm as a compiled module (Workers refuse to compile bytes).
import { ImageError, InputError, Model, QuantliteError, classify } from "quantlite";
import modelFile from "../model/model.tflite";

/** Uploads above this size are refused (413) before anything is decoded: 24 MP phone JPEGs are 8-15 MB. */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
/**
 * What a decode may take, inside a Worker's 128 MB. quantlite's JPEG decoder streams a photo at
 * 1/8 scale straight into the model's input, so its memory is the file plus a few rows, whatever
 * the pixel count (50 MP: phones' largest mode); a progressive JPEG also keeps its coefficients,
 * 3 bytes a pixel at 4:2:0, so above about 20 MP those are refused (422). For PNG and BMP, the
 * decoders' estimate of their working memory is checked against the same 64 MiB.
 */
const DECODE_LIMITS = { maxPixels: 50_000_000, maxMemoryMB: 64 };

/** The model of this isolate: loaded on first use; a failed load is retried by the next request. */
let loading: Promise<{ model: Model; loadMs: number }> | null = null;

function getModel(): Promise<{ model: Model; loadMs: number }> {
  loading ??= (async () => {
    const started = now();
    const model = await Model.load(new Uint8Array(modelFile));
    return { model, loadMs: ms(now() - started) };
  })().catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

function fail(status: number, error: string): Response {
  return json({ error }, status);
}

/**
 * Milliseconds, for the timings in answers. Deployed Workers' clocks advance only across I/O
 * (a Spectre mitigation), so there compute-only spans read 0; under `wrangler dev` they are real.
 */
function now(): number {
  return performance.now();
}

const ms = (t: number) => Math.round(t * 10) / 10;

/**
 * The body's bytes, or null as soon as there are more than `limit` (the rest is not read).
 * A chunked upload has no content-length to check up front; request.arrayBuffer() or
 * formData() would buffer all of it, past the isolate's 128 MB (seen under `npm run load:worker`).
 * With a declared length the bytes go straight into one buffer of that size; a chunked upload is
 * kept in its chunks until the end, then copied into one buffer.
 */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number, declared: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Uint8Array[] = [];
  const whole = declared > 0 ? new Uint8Array(declared) : null;
  let length = 0;
  if (body !== null) {
    const reader = body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      if (length + part.value.length > (whole?.length ?? limit)) {
        await reader.cancel();
        return null;
      }
      if (whole !== null) whole.set(part.value, length);
      else chunks.push(part.value);
      length += part.value.length;
    }
  }
  if (whole !== null) return whole.subarray(0, length);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** The uploaded image's bytes, or a Response explaining why there are none. */
async function readUpload(request: Request): Promise<Uint8Array | Response> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_UPLOAD_BYTES) return fail(413, `the upload is ${declared} bytes; at most ${MAX_UPLOAD_BYTES} are accepted`);
  const body = await readAtMost(request.body, MAX_UPLOAD_BYTES, Number.isSafeInteger(declared) ? declared : 0);
  if (body === null) return fail(413, `the upload is over ${MAX_UPLOAD_BYTES} bytes; at most ${MAX_UPLOAD_BYTES} are accepted`);
  const type = request.headers.get("content-type") ?? "";
  let bytes: Uint8Array;
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": type } }).formData();
    } catch {
      return fail(400, "the multipart form could not be parsed");
    }
    const file = form.get("image") ?? [...form.values()].find((v) => typeof v !== "string");
    if (file === undefined || file === null || typeof file === "string") return fail(400, 'the form has no file field (name it "image")');
    bytes = new Uint8Array(await file.arrayBuffer());
    // A form whose file is empty does have a body: say which is empty (seen under load:worker).
    if (bytes.length === 0) return fail(400, "the form's image file is empty: attach the bytes of a JPEG, PNG or BMP image");
  } else {
    bytes = body;
  }
  if (bytes.length === 0) return fail(400, "the request has no body: POST the bytes of a JPEG, PNG or BMP image");
  return bytes;
}

async function handleClassify(request: Request): Promise<Response> {
  const started = now();
  const upload = await readUpload(request);
  if (upload instanceof Response) return upload;
  const cold = loading === null;
  const { model, loadMs } = await getModel();
  const ready = now();
  let top;
  try {
    top = classify(model, upload, { top: 5, limits: DECODE_LIMITS });
  } catch (error) {
    if (error instanceof ImageError) return fail(422, error.message);
    if (error instanceof InputError) return fail(400, error.message);
    throw error;
  }
  const done = now();
  return json({
    top,
    timings: {
      // Decoding, preprocessing and inference; and the whole request (upload, model, classify).
      classifyMs: ms(done - ready),
      totalMs: ms(done - started),
      // Model.load in this isolate (parse, plan, pack weights), and whether this request paid it.
      modelLoadMs: loadMs,
      coldStart: cold,
    },
  });
}

async function usage(): Promise<Response> {
  const { model } = await getModel();
  return json({
    usage: "POST a JPEG, PNG or BMP image to / (raw body, or multipart/form-data with a file field 'image'); the answer is the top-5 classes as JSON",
    example: "curl --data-binary @cat.jpg -H 'content-type: image/jpeg' http://localhost:8787/",
    maxUploadBytes: MAX_UPLOAD_BYTES,
    model: { description: model.description, input: model.inputs[0], classes: model.outputs[0].shape.at(-1), labels: model.labels !== null },
  });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    try {
      if (pathname !== "/" && pathname !== "/classify") return fail(404, `no route ${pathname}; GET / for usage`);
      if (request.method === "GET" || request.method === "HEAD") return await usage();
      if (request.method === "POST") return await handleClassify(request);
      return fail(405, `method ${request.method} not allowed; GET / for usage, POST an image to classify`);
    } catch (error) {
      // Anything unexpected: a JSON 500 without internals (the details go to the Worker's log).
      console.error(error);
      const message = error instanceof QuantliteError ? error.message : "internal error";
      return fail(500, message);
    }
  },
};
