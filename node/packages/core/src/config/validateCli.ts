#!/usr/bin/env node
// Conformance validator: `node dist/config/validateCli.js CASE.json…` prints one verdict line per
// case, in order. Exit 0 when every case file could be read (a verdict is data, not failure), 2
// otherwise (config/LOADING.md).
import { CaseFileError, readCase, verdict } from "./conformanceCase.js";

const USAGE = "usage: validateCli.js CASE.json [CASE.json …]";

function main(files: readonly string[]): number {
  if (files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let exitCode = 0;
  for (const file of files) {
    try {
      process.stdout.write(`${JSON.stringify(verdict(readCase(file)))}\n`);
    } catch (error) {
      if (!(error instanceof CaseFileError)) {
        throw error;
      }
      process.stderr.write(`validateCli: ${error.message}\n`);
      exitCode = 2;
    }
  }
  return exitCode;
}

process.exitCode = main(process.argv.slice(2));
