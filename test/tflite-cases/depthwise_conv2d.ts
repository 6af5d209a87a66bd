// DEPTHWISE_CONV_2D: the variants of conv2d.ts with depth multipliers 1–3.
import { randomConvModel, VARIANTS } from "./conv2d.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const v of VARIANTS) {
    const kind = `${v.dtype}${v.dtype === "int8" ? (v.perChannel ? "_per_channel" : "_per_tensor") : ""}`;
    for (let i = 0; i < v.n; i++) cases.push({ name: `${kind}_${i}`, model: randomConvModel(rng, v, true) });
  }
  return cases;
};
