// GATHER_ND: int8, uint8, float32 and int32 params of ranks 1–4; int32 and int64 indices of
// ranks 1–3 whose last dimension (1 to the params' rank) picks slices; constant or a model input.
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import { singleOpModel } from "../model-builder.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { type ValueType, activation, constantIndices, product, randomBytes, randomShape, samples } from "./tensors.js";

const TYPES: ValueType[] = ["int8", "uint8", "float32", "int32"];

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of TYPES) {
    for (let i = 0; i < 10; i++) {
      const shape = randomShape(rng, 1, 4, type === "int8" || type === "uint8" ? 600 : 200);
      const depth = rng.int(1, shape.length);
      const rows = [...Array.from({ length: rng.int(0, 2) }, () => rng.pick([1, 2, 3, 5]))];
      const indexShape = [...rows, depth];
      const indexType = rng.bool(0.5) ? "int32" : "int64";
      const constant = rng.bool(0.5);
      const indexValues = () => {
        const values = new Int32Array(product(indexShape));
        for (let k = 0; k < values.length; k++) values[k] = rng.int(0, shape[k % depth] - 1);
        return values;
      };
      const asBytes = (values: Int32Array) => new Uint8Array(indexType === "int32" ? values.buffer : BigInt64Array.from(values, BigInt).buffer);
      const indices = constant ? constantIndices("indices", indexType, indexShape, indexValues()) : { name: "indices", type: indexType, shape: indexShape } as const;
      const params = activation(rng, type, shape, "params");
      cases.push({
        name: `${type}_${i}_depth${depth}_${indexType}${constant ? "_const" : ""}`,
        model: singleOpModel({
          builtinCode: BuiltinOp.GATHER_ND,
          inputs: [params, indices],
          outputs: [{ ...params, name: "output", shape: [...rows, ...shape.slice(depth)] }],
          options: { kind: "GatherNdOptions" },
        }),
        inputs: samples(() => [randomBytes(rng, type, product(shape)), ...(constant ? [] : [asBytes(indexValues())])]),
      });
    }
  }
  return cases;
};
