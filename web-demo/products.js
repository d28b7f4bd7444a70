// How many products the demo backend serves (scripts/demo-backend.js imports this too).
export const PRODUCT_COUNT = 24;
