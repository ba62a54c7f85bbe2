// @checkout/core: the generated timeout config binding and its loader (config/LOADING.md).
export * from "./generated/index.js";
export * from "./config/index.js";
