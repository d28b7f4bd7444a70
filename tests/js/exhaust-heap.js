// Takes every block a wasm module's heap can still give (it stops growing at its maximum);
// returns a function that gives them back.
export function exhaustHeap(mod) {
  const blocks = [];
  for (let size = 1 << 28; size >= 8; size >>= 1) {
    for (let p = mod._malloc(size); p !== 0; p = mod._malloc(size)) blocks.push(p);
  }
  return () => { for (const p of blocks.splice(0)) mod._free(p); };
}
