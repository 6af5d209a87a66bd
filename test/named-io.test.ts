// Inputs and outputs by name (runAll with a record), and outputs typed by dtype: the overloads of
// run/runAll that keep the type of the caller's arrays, expectDtype and TensorArrayOf. The
// assignments below compile without casts; the @ts-expect-error lines check what must not.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { InputError, Model, type NamedTensors, type TensorArrayOf, type TensorData, expectDtype } from "../js/index.js";
import { listNames } from "../js/names.js";
import { readModel } from "../js/tflite/read.js";
import { writeModel } from "../js/tflite/write.js";
import { Rng } from "./random.js";

const FIXTURES = "test/fixtures/tflite";
/** Two float32 inputs "a" and "b" of [4, 5, 1, 5]; one output "output". */
const ADD = `${FIXTURES}/add/float32_0_4x5x1x5_4x5x1x5`;
/** Two float32 inputs "a" and "b" of [1, 17, 7, 1]; one output a − b. */
const SUB = `${FIXTURES}/sub/float32_4_1x17x7x1_1x17x7x1`;
/** One float32 input "input_1" of [6]; outputs "output_0" and "output_1" of [3]. */
const SPLIT = `${FIXTURES}/split/float32_0`;
/** One float32 input "input_0" of [3, 4, 2, 3]; outputs "output_0" … "output_2" of [3, 4, 2]. */
const UNPACK = `${FIXTURES}/unpack/float32_1`;

const load = (name: string) => Model.load(readFileSync(`${name}.tflite`));

/** The first sample of a fixture's inputs.bin or ref.bin, one Float32Array per tensor of `sizes`. */
function firstSample(file: string, sizes: number[]): Float32Array[] {
  const bytes = readFileSync(file);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let at = 0;
  return sizes.map((n) => all.slice(at, (at += n)));
}

const sizes = (tensors: { shape: number[] }[]) => tensors.map((t) => t.shape.reduce((a, b) => a * b, 1));

function throwsInputError(call: () => unknown, pattern: RegExp, what: string): void {
  let message = "(no error)";
  try {
    call();
  } catch (e) {
    message = e instanceof InputError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
  }
  assert.ok(pattern.test(message), `${what}: ${message}`);
  assert.ok(message.length <= 200, `${what}: a short message (${message.length} characters)`);
}

test("inputs by name: any key order gives TFLite's reference output, as the same arrays by position", async () => {
  const model = await load(ADD);
  const [a, b] = firstSample(`${ADD}.inputs.bin`, sizes(model.inputs));
  const [want] = firstSample(`${ADD}.ref.bin`, sizes(model.outputs));
  const byName = model.runAll({ b, a });
  assert.equal(Object.keys(byName), ["output"]);
  const output: TensorData = byName.output;
  assert.ok(output instanceof Float32Array);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(output[i] - want[i]) <= 1e-5 * Math.abs(want[i]) + 1e-30, `element ${i}`);
  assert.equal(model.runAll([a, b]), [output], "by position, an array as before");
  assert.equal(model.profile({ a, b }).length, model.ops.length, "profile takes names too");
});

test("inputs by name follow the names, not the order of the keys (a − b)", async () => {
  const model = await load(SUB);
  const rng = new Rng(14);
  const [n] = sizes(model.inputs);
  const x = Float32Array.from({ length: n }, () => rng.float() * 8 - 4);
  const y = Float32Array.from({ length: n }, () => rng.float() * 8 - 4);
  const [xMinusY] = model.runAll([x, y]);
  const [yMinusX] = model.runAll([y, x]);
  assert.not.equal(xMinusY, yMinusX);
  assert.equal(model.runAll({ b: y, a: x }).output, xMinusY);
  assert.equal(model.runAll({ a: y, b: x }).output, yMinusX);
});

test("outputs by name on multi-output models: a record keyed by output name; caller arrays by name are filled and returned", async () => {
  for (const name of [SPLIT, UNPACK]) {
    const model = await load(name);
    const [input] = firstSample(`${name}.inputs.bin`, sizes(model.inputs));
    const want = firstSample(`${name}.ref.bin`, sizes(model.outputs));
    const inputName = model.inputs[0].name;
    const byName = model.runAll({ [inputName]: input });
    assert.equal(Object.keys(byName), model.outputs.map((t) => t.name), `${name}: one key per output, in order`);
    model.outputs.forEach((t, k) => assert.equal(byName[t.name], want[k], `${name}: ${t.name}`));
    const last = model.outputs[model.outputs.length - 1].name;
    const mine = new Float32Array(want[want.length - 1].length);
    const some = model.runAll({ [inputName]: input }, { [last]: mine });
    assert.ok(some[last] === mine, `${name}: ${last} is the caller's array`);
    assert.equal(mine, want[want.length - 1]);
    assert.equal(Object.keys(some).length, model.outputs.length, `${name}: the others are new arrays`);
  }
});

test("wrong names: unknown, missing, mismatched forms and shared names give short InputErrors", async () => {
  const model = await load(ADD);
  const [a, b] = firstSample(`${ADD}.inputs.bin`, sizes(model.inputs));
  throwsInputError(() => model.runAll({ a, bb: b }), /^unknown input "bb"; did you mean "b"\? \(inputs: "a", "b"\)$/, "a typo");
  throwsInputError(() => model.runAll({ a }), /^missing input "b" \(inputs: "a", "b"\)$/, "one missing");
  throwsInputError(() => model.runAll({}), /^missing inputs "a", "b"/, "none");
  throwsInputError(() => model.runAll({ a, b: undefined as unknown as Float32Array }), /input 1 \("b"\) is float32: expected a Float32Array, got undefined/, "undefined");
  throwsInputError(() => model.runAll({ a, b }, [new Float32Array(100)] as unknown as NamedTensors), /outputs must be a record by output name, got Array/, "array outputs for named inputs");
  throwsInputError(() => model.runAll({ a, b }, { out: new Float32Array(100) }), /^unknown output "out"; did you mean "output"\?/, "unknown output");
  throwsInputError(() => model.runAll({ a, b }, { output: new Float32Array(3) }), /output 0 \("output"\) needs 100 values/, "wrong output size");
  throwsInputError(() => model.runAll([a, b], { output: new Float32Array(100) } as unknown as TensorData[]), /expected 1 output arrays, got Object/, "named outputs for an array");
  throwsInputError(() => model.runAll(a as unknown as TensorData[]), /expected 2 input arrays \(or a record of them by input name\), got Float32Array/, "one typed array");
  throwsInputError(() => model.runAll(null as unknown as TensorData[]), /got null/, "null");
  assert.equal(model.runAll({ a, b }).output, model.runAll([a, b])[0], "the model keeps working");

  // Names several tensors share (TFLite does not forbid them): by position still works.
  const def = readModel(readFileSync(`${SPLIT}.tflite`));
  const [graph] = def.subgraphs;
  graph.tensors[graph.outputs[1]].name = graph.tensors[graph.outputs[0]].name;
  const shared = await Model.load(writeModel(def));
  const [x] = firstSample(`${SPLIT}.inputs.bin`, [6]);
  throwsInputError(() => shared.runAll({ input_1: x }), /several outputs are named "output_0": pass the inputs as an array/, "shared output names");
  assert.equal(shared.runAll([x]).length, 2);
  const addDef = readModel(readFileSync(`${ADD}.tflite`));
  addDef.subgraphs[0].tensors[addDef.subgraphs[0].inputs[1]].name = "a";
  const sharedInputs = await Model.load(writeModel(addDef));
  throwsInputError(() => sharedInputs.runAll({ a }), /several inputs are named "a"/, "shared input names");
});

test("long name lists stay short", () => {
  const names = Array.from({ length: 50 }, (_, k) => `serving_default_a_rather_long_input_tensor_name_${k}:0`);
  const listed = listNames(names);
  assert.ok(listed.endsWith(", … (44 more)"), listed);
  assert.ok(listed.length < 300, `${listed.length} characters`);
});

test("typed outputs: caller arrays keep their types, expectDtype narrows with a check, TensorArrayOf maps dtypes", async () => {
  const model = await load(SPLIT);
  const [x] = firstSample(`${SPLIT}.inputs.bin`, [6]);
  const want = firstSample(`${SPLIT}.ref.bin`, [3, 3]);

  // Each assignment to a Float32Array compiles without a cast.
  const first: Float32Array = model.run(x, new Float32Array(3));
  assert.equal(first, want[0]);
  const [o0, o1]: [Float32Array, Float32Array] = model.runAll([x], [new Float32Array(3), new Float32Array(3)]);
  assert.equal([o0, o1], want);
  const mine = [new Float32Array(3), new Float32Array(3)];
  assert.ok(model.runAll([x], mine) === mine, "caller outputs by position: that very array back, nothing allocated");
  const named = model.runAll({ input_1: x }, { output_1: new Float32Array(3) });
  const second: Float32Array = named.output_1;
  assert.equal(second, want[1]);
  const checked: Float32Array = expectDtype(model.run(x), "float32");
  assert.equal(checked, want[0]);
  const typed: TensorArrayOf<"float32"> = checked;
  const counts: TensorArrayOf<"int64"> = new BigInt64Array(2);
  assert.ok(typed === checked && counts.length === 2);

  throwsInputError(() => expectDtype(model.run(x), "int8"), /^expected int8 data \(a Int8Array\), got Float32Array$/, "another dtype");
  throwsInputError(() => expectDtype(x, "float64" as "float32"), /^unknown dtype "float64"/, "not a dtype");
  throwsInputError(() => model.run(x, new Int32Array(3)), /output 0 .* expected a Float32Array, got Int32Array/, "run checks the caller's array");
});

/** Never called: each line is a type error, which @ts-expect-error requires (tsc fails if one compiles). */
export function typeErrors(model: Model, x: Float32Array): void {
  // @ts-expect-error a new array is the union until checked
  const a: Float32Array = model.run(x);
  // @ts-expect-error expectDtype gives the array of the dtype named
  const b: Int8Array = expectDtype(model.run(x), "float32");
  // @ts-expect-error runAll takes an array or a record, not one typed array
  model.runAll(x);
  // @ts-expect-error "float64" is not a dtype run gives
  const c: TensorArrayOf<"float64"> = x;
  // @ts-expect-error the tuple's types are the caller's arrays'
  const [d]: [Int32Array] = model.runAll([x], [new Float32Array(3)]);
  void [a, b, c, d];
}

test.run();
