export { ConfigError, escapePointerToken, type Violation } from "./violation.js";
export { loadConfig, parseConfig, type LoadedConfig } from "./loadConfig.js";
export { CONFIG_ENV, CONFIG_RELATIVE_PATH, resolveConfigPath, type PathContext } from "./resolvePath.js";
export { fingerprint } from "./fingerprint.js";
export { CaseFileError, readCase, toCase, verdict, type ConfigCase, type Verdict } from "./conformanceCase.js";
