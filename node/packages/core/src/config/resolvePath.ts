import { statSync } from "node:fs";
import path from "node:path";

/** The environment variable that names the config file when no path is given. */
export const CONFIG_ENV = "CHECKOUT_CONFIG";

/** Where the search from the working directory expects the config, relative to each directory. */
export const CONFIG_RELATIVE_PATH = path.join("config", "timeout.json");

/** What path resolution reads; injected so tests need not touch the process. */
export interface PathContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

function processContext(): PathContext {
  return { env: process.env, cwd: process.cwd() };
}

/**
 * The config file to load (config/LOADING.md): the explicit path, else `$CHECKOUT_CONFIG`, else
 * `config/timeout.json` in the working directory or its nearest ancestor that has one.
 *
 * Returns an absolute path, or `undefined` when no rule names a file. An explicit or environment
 * path is returned even if it does not exist: the read step reports it, rather than a silent
 * fall-through to another file.
 */
export function resolveConfigPath(explicit?: string, context: PathContext = processContext()): string | undefined {
  if (explicit !== undefined && explicit !== "") {
    return path.resolve(context.cwd, explicit);
  }
  const fromEnv = context.env[CONFIG_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    return path.resolve(context.cwd, fromEnv);
  }
  for (let dir = path.resolve(context.cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_RELATIVE_PATH);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile() === true) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}
