// The wasm modules the package ships: `name` (the entry point that loads it), the `features` it
// serves (core.js's module(feature) asks for one), and `glue`, which imports its Emscripten
// factory only when the module is loaded, so an app parses no glue it does not load.
export const WHOLE = {
  name: 'edgeguard',
  features: ['resilience', 'validator', 'gateway'],
  glue: () => import('../dist/edgeguard.mjs'),
};

export const RESILIENCE = {
  name: 'edgeguard/resilience',
  features: ['resilience'],
  glue: () => import('../dist/edgeguard-resilience.mjs'),
};

export const VALIDATOR = {
  name: 'edgeguard/validator',
  features: ['validator'],
  glue: () => import('../dist/edgeguard-validator.mjs'),
};
