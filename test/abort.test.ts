// An AbortSignal stops quantize's calibration and evaluate: already aborted before they start,
// and aborted from a timer while they run (their loops yield to the event loop for that).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluate, quantize } from "../js/index.js";
import { writeModel } from "../js/tflite/write.js";
import { floatClassifierDef, floatInputs } from "./float-model.js";
import { makeBmp, randomImage } from "./image-builder.js";

const FLOAT = writeModel(floatClassifierDef());

/** A signal aborted (with the default AbortError) after `ms` milliseconds. */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

async function rejectsWithAbort(run: () => Promise<unknown>, what: string): Promise<void> {
  let error: unknown = null;
  try {
    await run();
  } catch (thrown) {
    error = thrown;
  }
  assert.ok(error instanceof Error && error.name === "AbortError", `${what}: ${String(error)}`);
}

test("quantize: an aborted signal stops the calibration with an AbortError", async () => {
  await rejectsWithAbort(() => quantize(FLOAT, floatInputs(10, 16, 1), { signal: AbortSignal.abort() }), "aborted before");
  // Endless samples: only the abort can end this calibration.
  const endless = (function* () {
    for (let seed = 1; ; seed++) yield floatInputs(1, 16, seed)[0];
  })();
  await rejectsWithAbort(() => quantize(FLOAT, endless, { signal: abortAfter(200) }), "aborted while calibrating");
});

test("evaluate: an aborted signal stops it with an AbortError", async () => {
  const int8 = (await quantize(FLOAT, floatInputs(100, 16, 1))).model;
  const images = Array.from({ length: 20000 }, (_, k) => ({ name: `image ${k}`, bytes: makeBmp({ image: randomImage(16, 16, k), bitCount: 24 }), label: null }));
  await rejectsWithAbort(() => evaluate([{ name: "int8", bytes: int8 }], images.slice(0, 3), { signal: AbortSignal.abort() }), "aborted before");
  await rejectsWithAbort(() => evaluate([{ name: "int8", bytes: int8 }], images, { signal: abortAfter(200) }), "aborted while evaluating");
});

test.run();
