#!/usr/bin/env node
// Conformance runner: `node dist/resilience/vectorCli.js VECTOR.json…` prints one line per vector,
// `{"id": …, "pass": …, "mismatches": […]}`, in order. Exit 0 when every file could be read (a
// failing vector is data, not a failure of the runner), 2 otherwise.
import { readVector, VectorFileError } from "./vectorFiles.js";
import { runVector } from "./vectorRunner.js";

const USAGE = "usage: vectorCli.js VECTOR.json [VECTOR.json …]";

async function main(files: readonly string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let exitCode = 0;
  for (const file of files) {
    try {
      const { id, vector } = readVector(file);
      const mismatches = await runVector(vector);
      process.stdout.write(`${JSON.stringify({ id, pass: mismatches.length === 0, mismatches })}\n`);
    } catch (error) {
      if (!(error instanceof VectorFileError)) {
        throw error;
      }
      process.stderr.write(`vectorCli: ${error.message}\n`);
      exitCode = 2;
    }
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
