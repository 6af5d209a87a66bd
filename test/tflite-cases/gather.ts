// GATHER: int8, uint8, float32 and int32 params of ranks 1–4 with awkward sizes; int32 and int64
// indices of ranks 0–2, constant or a model input; every axis, batch_dims 0 up to the axis.
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import { singleOpModel } from "../model-builder.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { type ValueType, activation, constantIndices, product, randomBytes, randomShape, samples } from "./tensors.js";

const TYPES: ValueType[] = ["int8", "uint8", "float32", "int32"];

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of TYPES) {
    for (let i = 0; i < 12; i++) {
      const shape = randomShape(rng, i < 2 ? 1 : 2, 4, type === "int8" || type === "uint8" ? 600 : 200);
      const rank = shape.length;
      const axis = rng.int(0, rank - 1);
      const batchDims = rng.bool(0.5) ? rng.int(0, axis) : 0;
      const indexShape = [...shape.slice(0, batchDims), ...Array.from({ length: rng.int(0, 2) }, () => rng.pick([1, 2, 3, 5]))];
      const indexType = rng.bool(0.5) ? "int32" : "int64";
      const constant = rng.bool(0.6);
      const indexCount = product(indexShape);
      const randomIndices = () => randomBytes(rng, indexType, indexCount, 0, shape[axis] - 1);
      const indices = constant
        ? constantIndices("indices", indexType, indexShape, new Int32Array(randomBytes(rng, "int32", indexCount, 0, shape[axis] - 1).buffer))
        : { name: "indices", type: indexType, shape: indexShape } as const;
      const outShape = [...shape.slice(0, axis), ...indexShape.slice(batchDims), ...shape.slice(axis + 1)];
      const params = activation(rng, type, shape, "params");
      cases.push({
        name: `${type}_${i}_axis${axis}_batch${batchDims}_${indexType}${constant ? "_const" : ""}`,
        model: singleOpModel({
          builtinCode: BuiltinOp.GATHER,
          inputs: [params, indices],
          outputs: [{ ...params, name: "output", shape: outShape }],
          options: { kind: "GatherOptions", axis: rng.bool(0.3) ? axis - rank : axis, batchDims },
          version: type === "int8" ? 2 : 1,
        }),
        inputs: samples(() => [randomBytes(rng, type, product(shape)), ...(constant ? [] : [randomIndices()])]),
      });
    }
  }
  return cases;
};
