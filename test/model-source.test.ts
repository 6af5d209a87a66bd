// Model.load from every source a user has at hand — bytes in any container, a fetch Response, a
// URL (fetched), a ReadableStream, a Blob — and errors that stay short whatever the file holds.
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError, Model, ModelError } from "../js/index.js";
import { MAX_MESSAGE_LENGTH } from "../js/errors.js";
import { readModel } from "../js/tflite/read.js";
import { writeModel } from "../js/tflite/write.js";

/** A two-input ADD model of the TFLite fixtures. */
const FILE = new Uint8Array(readFileSync(`test/fixtures/tflite/add/${readdirSync("test/fixtures/tflite/add").find((f) => /^int8_\d+_[\dx]+_[\dx]+\.tflite$/.test(f))}`));

async function loadsAndRuns(source: Parameters<typeof Model.load>[0]): Promise<void> {
  const model = await Model.load(source);
  assert.equal(model.inputs.length, 2);
  model.dispose();
}

test("Model.load takes a Response, a Blob and a ReadableStream of chunks", async () => {
  await loadsAndRuns(new Response(FILE));
  await loadsAndRuns(new Blob([FILE.slice(0, 100), FILE.slice(100)]));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < FILE.length; at += 97) controller.enqueue(FILE.slice(at, at + 97));
      controller.close();
    },
  });
  await loadsAndRuns(stream);
});

test("Model.load fetches a URL (object or string); a failed response or a file path is a short InputError", async () => {
  const server = createServer((request, response) => {
    if (request.url === "/model.tflite") response.end(FILE);
    else response.writeHead(404, "Not Found").end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await loadsAndRuns(new URL(`${base}/model.tflite`));
    await loadsAndRuns(`${base}/model.tflite`);
    const missing = await Model.load(new URL(`${base}/missing.tflite`)).catch((e: unknown) => e);
    assert.instance(missing, InputError);
    assert.match((missing as Error).message, /404/);
  } finally {
    server.close();
  }
  const path = await Model.load("models/mobilenet.tflite").catch((e: unknown) => e);
  assert.instance(path, InputError);
  assert.match((path as Error).message, /loadModelFile/);
  const wrong = await Model.load({ bytes: FILE } as never).catch((e: unknown) => e);
  assert.instance(wrong, InputError);
});

test("errors stay short whatever the model holds: a 100,000-character tensor name", async () => {
  const def = readModel(FILE);
  def.subgraphs[0].tensors[0].name = "x".repeat(100_000);
  def.subgraphs[0].tensors[0].shape = [1, 2, 3, 4, 5, 6, 7];
  const error = await Model.load(writeModel(def)).catch((e: unknown) => e);
  assert.instance(error, ModelError);
  assert.ok((error as Error).message.length <= MAX_MESSAGE_LENGTH, `${(error as Error).message.length} characters`);
  assert.ok((error as ModelError).problems.every((p) => p.length <= MAX_MESSAGE_LENGTH));
});

test.run();
