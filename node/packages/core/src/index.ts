// @checkout/core: the generated timeout config binding, its loader (config/LOADING.md) and the
// resilience kernel (config/SEMANTICS.md).
export * from "./generated/index.js";
export * from "./config/index.js";
export * from "./resilience/index.js";
