// Bad input of every kind gives a typed error with a clear message — never a wasm trap,
// a hang or a crash.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError, InputError, Model, ModelError } from "../js/index.js";
import { classify } from "../js/classify.js";
import { BuiltinOp } from "../js/tflite/builtin-ops.js";
import type { ModelDef } from "../js/tflite/types.js";
import { writeModel } from "../js/tflite/write.js";
import { buildSingleOpModel, type SingleOpSpec } from "./model-builder.js";

/** A 1×1 conv int8 model (4×4×3 → 4×4×2) as a ModelDef to corrupt. */
function convDef(): ModelDef {
  const spec: SingleOpSpec = {
    builtinCode: BuiltinOp.CONV_2D,
    inputs: [
      { type: "int8", shape: [1, 4, 4, 3], scale: 0.5, zeroPoint: -3 },
      { type: "int8", shape: [2, 1, 1, 3], scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 0, data: new Int8Array([1, 2, 3, -4, -5, -6]) },
      { type: "int32", shape: [2], scale: [0.05, 0.1], zeroPoint: [0, 0], data: new Int32Array([10, -20]) },
    ],
    outputs: [{ type: "int8", shape: [1, 4, 4, 2], scale: 0.25, zeroPoint: 5 }],
    options: { kind: "Conv2DOptions", padding: "SAME", strideW: 1, strideH: 1, dilationWFactor: 1, dilationHFactor: 1, fusedActivation: "RELU6" },
  };
  return buildSingleOpModel(spec);
}

async function loadError(bytes: Uint8Array): Promise<ModelError> {
  try {
    await Model.load(bytes);
  } catch (e) {
    assert.instance(e, ModelError, `expected ModelError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return e as ModelError;
  }
  throw new assert.Assertion({ message: "the model loaded, but it should have been rejected", generated: false, operator: "throws", expects: "", actual: "" });
}

async function expectModelError(def: ModelDef, pattern: RegExp, opIndex?: number): Promise<void> {
  const e = await loadError(writeModel(def));
  assert.match(e.message, pattern);
  if (opIndex !== undefined) {
    assert.is(e.opIndex, opIndex);
    assert.match(e.message, /CONV_2D/);
  }
}

test("the valid conv model loads and runs (control for the cases below)", async () => {
  const model = await Model.load(writeModel(convDef()));
  const out = model.run(new Int8Array(48));
  assert.is(out.length, 32);
});

test("non-TFLite bytes and truncated files give ModelError", async () => {
  assert.match((await loadError(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]))).message, /not a TFLite model|corrupt/);
  assert.ok(await loadError(new Uint8Array(0)));
  const bytes = writeModel(convDef());
  for (const length of [4, 8, 16, 40, bytes.length >> 1, bytes.length - 1]) await loadError(bytes.subarray(0, length));
});

test("Model.load rejects a non-Uint8Array with InputError", async () => {
  try {
    await Model.load("model.tflite" as unknown as Uint8Array);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
  }
});

test("unsupported operators are all listed at once", async () => {
  const def = convDef();
  def.operatorCodes.push(
    { builtinCode: 27, deprecatedBuiltinCode: 27, customCode: null, version: 1 }, // SVDF
    { builtinCode: 15, deprecatedBuiltinCode: 15, customCode: null, version: 1 }, // LSH_PROJECTION
  );
  const sg = def.subgraphs[0];
  const out = sg.outputs[0];
  sg.tensors.push({ ...sg.tensors[out], name: "t1" }, { ...sg.tensors[out], name: "t2" });
  const t1 = sg.tensors.length - 2;
  sg.operators.push(
    { opcodeIndex: 1, inputs: [out], outputs: [t1], options: null, optionsType: 0, customOptions: null },
    { opcodeIndex: 2, inputs: [t1], outputs: [t1 + 1], options: null, optionsType: 0, customOptions: null },
  );
  sg.outputs = [t1 + 1];
  const e = await loadError(writeModel(def));
  assert.match(e.message, /SVDF/);
  assert.match(e.message, /LSH_PROJECTION/);
  assert.is(e.problems.length, 2);
  assert.match(e.problems[0], /operator 1: SVDF/);
});

test("an operator version beyond what is implemented is rejected", async () => {
  const def = convDef();
  def.operatorCodes[0].version = 99;
  await expectModelError(def, /CONV_2D version 99/);
});

test("out-of-range tensor and buffer indices name the operator or tensor", async () => {
  const a = convDef();
  a.subgraphs[0].operators[0].inputs[1] = 42;
  await expectModelError(a, /refers to tensor 42/, 0);
  const b = convDef();
  b.subgraphs[0].tensors[1].buffer = 77;
  await expectModelError(b, /buffer index 77 is out of range/);
  const c = convDef();
  c.subgraphs[0].operators[0].opcodeIndex = 5;
  await expectModelError(c, /opcode index 5/);
});

test("a buffer shorter than its shape needs is rejected", async () => {
  const def = convDef();
  def.buffers[1] = def.buffers[1].subarray(0, 4);
  await expectModelError(def, /holds 4 bytes.*needs 6/);
});

test("bad quantization parameters are rejected", async () => {
  const cases: [(d: ModelDef) => void, RegExp][] = [
    [(d) => { d.subgraphs[0].tensors[1].quantization!.scale = [0.1, 0.2, 0.3]; d.subgraphs[0].tensors[1].quantization!.zeroPoint = [0, 0, 0]; }, /3 per-channel scales for 2 channels/],
    [(d) => { d.subgraphs[0].tensors[0].quantization!.scale = [NaN]; }, /not a finite positive/],
    [(d) => { d.subgraphs[0].tensors[0].quantization!.scale = [-1]; }, /not a finite positive/],
    [(d) => { d.subgraphs[0].tensors[0].quantization!.scale = [0]; }, /not a finite positive/],
    [(d) => { d.subgraphs[0].tensors[0].quantization!.zeroPoint = [200]; }, /zero point 200 is out of range for int8/],
    [(d) => { d.subgraphs[0].tensors[1].quantization!.zeroPoint = [0]; }, /2 scales but 1 zero points/],
  ];
  for (const [corrupt, pattern] of cases) {
    const def = convDef();
    corrupt(def);
    await expectModelError(def, pattern);
  }
});

test("shapes that disagree between connected tensors name the operator", async () => {
  const a = convDef();
  a.subgraphs[0].tensors[3].shape = [1, 4, 4, 5];
  await expectModelError(a, /output .* has shape \[1,4,4,5\]; expected \[1,4,4,2\]/, 0);
  const b = convDef();
  b.subgraphs[0].tensors[0].shape = [1, 4, 4, 7];
  await expectModelError(b, /filter has 3 input channels but the input has 7/, 0);
  const c = convDef();
  c.buffers[2] = new Uint8Array(new Int32Array([1, 2, 3]).buffer);
  c.subgraphs[0].tensors[2].shape = [3];
  c.subgraphs[0].tensors[2].quantization = null;
  await expectModelError(c, /bias .* has 3 values for 2 output channels/, 0);
});

test("a graph that reads a tensor before it is written is rejected", async () => {
  const def = convDef();
  def.subgraphs[0].inputs = [];
  await expectModelError(def, /no inputs|before any operator writes it/);
});

test("wrong input length or dtype gives InputError, and the model keeps working", async () => {
  const model = await Model.load(writeModel(convDef()));
  const bad: unknown[] = [new Int8Array(47), new Uint8Array(48), new Float32Array(48), [1, 2, 3], null];
  for (const input of bad) {
    try {
      model.run(input as Int8Array);
      assert.unreachable(`accepted ${String(input)}`);
    } catch (e) {
      assert.instance(e, InputError);
    }
  }
  try {
    model.runAll([]);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /expected 1 input arrays, got 0/);
  }
  const x = new Int8Array(48).map((_, i) => (i * 37) % 256);
  assert.equal(model.run(x), model.run(x));
});

test("a disposed model refuses to run", async () => {
  const model = await Model.load(writeModel(convDef()));
  model.dispose();
  try {
    model.run(new Int8Array(48));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /disposed/);
  }
});

test("maxMemoryBytes bounds what a model may use", async () => {
  try {
    await Model.load(writeModel(convDef()), { maxMemoryBytes: 1024 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ModelError);
    assert.match((e as Error).message, /over the limit of 1024/);
  }
});

test("classify: undecodable images give ImageError, a bad top InputError", async () => {
  const model = await Model.load(writeModel(convDef())); // input [1, 4, 4, 3]: an image input
  for (const bytes of [new Uint8Array([1, 2, 3, 4]), new Uint8Array(0), new TextEncoder().encode("BM not really a bitmap")]) {
    try {
      classify(model, bytes);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, ImageError);
    }
  }
  try {
    classify(model, new Uint8Array(8), { top: 0 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /top must be a positive integer/);
  }
});

test.run();
