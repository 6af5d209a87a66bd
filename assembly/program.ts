// One inference in one call from the host: at load it lays out the model's kernel calls as a
// program, (table index, parameter block) pairs of int32 (js/model.ts), and fills the imported
// function table with the kernels that take a parameter block (js/runtime/kernels.ts). The
// program runs them in order; nothing crosses between JavaScript and wasm in between.
// program: (count, 2) int32

export function run_program(program: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const at = program + (<usize>i << 3);
    call_indirect<void>(load<u32>(at), <usize>load<u32>(at, 4));
  }
}
