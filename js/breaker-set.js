// What eg_breaker_set (wasm/bridge_breaker.cpp's enum Command) does to a breaker, by number.
export { Command as SET } from './seam/breaker.js';
