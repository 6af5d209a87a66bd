#!/usr/bin/env python3
"""TensorFlow Lite's reference-kernel outputs for the generated test models.

For every NAME.tflite with a NAME.inputs.bin under the given folders (default
test/fixtures/tflite), runs TensorFlow Lite's own interpreter with its reference kernels
(OpResolverType.BUILTIN_REF, one thread) on each sample and writes NAME.ref.bin.

  NAME.inputs.bin  samples back to back; one sample = every input tensor in the model's input
                   order, raw little-endian values of the tensor's dtype, nothing between.
  NAME.ref.bin     per sample, every output tensor in the model's output order, the same way.

These are the formats of `quantlite run --input/--output` and of ../shared/thirdparty.
`--check` writes nothing and exits 1 unless every stored .ref.bin equals a fresh run.
Needs `pip install tensorflow-cpu numpy` (CI does not: the .ref.bin files are committed).
"""
import pathlib
import sys

import numpy as np
import tensorflow as tf


def reference_outputs(model: pathlib.Path, inputs: bytes) -> bytes:
    interpreter = tf.lite.Interpreter(
        model_path=str(model), num_threads=1,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF)
    interpreter.allocate_tensors()
    details = interpreter.get_input_details()
    sizes = [int(np.prod(d["shape"])) * np.dtype(d["dtype"]).itemsize for d in details]
    sample_bytes = sum(sizes)
    if sample_bytes == 0 or len(inputs) % sample_bytes != 0:
        raise SystemExit(f"{model}: {len(inputs)} input bytes are not whole samples of {sample_bytes}")
    out = bytearray()
    for start in range(0, len(inputs), sample_bytes):
        at = start
        for d, size in zip(details, sizes):
            value = np.frombuffer(inputs[at:at + size], dtype=d["dtype"]).reshape(d["shape"])
            interpreter.set_tensor(d["index"], value)
            at += size
        interpreter.invoke()
        for d in interpreter.get_output_details():
            out += np.ascontiguousarray(interpreter.get_tensor(d["index"])).tobytes()
    return bytes(out)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    roots = [pathlib.Path(a) for a in argv if a != "--check"] or [pathlib.Path("test/fixtures/tflite")]
    models = sorted(m for root in roots for m in ([root] if root.suffix == ".tflite" else root.rglob("*.tflite")))
    differ = 0
    refused = 0
    for model in models:
        inputs = model.with_suffix(".inputs.bin")
        if not inputs.exists():
            continue
        try:
            ref = reference_outputs(model, inputs.read_bytes())
        except (RuntimeError, ValueError) as error:
            refused += 1
            print(f"TensorFlow Lite refuses {model}: {str(error).strip().splitlines()[-1]}")
            continue
        target = model.with_suffix(".ref.bin")
        if check:
            if not target.exists() or target.read_bytes() != ref:
                differ += 1
                print(f"differs: {target}")
        else:
            target.write_bytes(ref)
    print(f"{len(models)} models, {refused} refused, {'%d differ' % differ if check else 'references written'}")
    return 1 if differ or refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
