#!/usr/bin/env node
// Conformance runner: `node dist/conformance/cli.js VECTOR.json…` prints one line per vector,
// `{"id": …, "pass": …, "mismatches": […]}`, in order. Exit 0 when every file could be read (a
// failing vector is data, not a failure of the runner), 2 otherwise.
import { runJsonLinesCli } from "../jsonLinesCli.js";
import { readVector, VectorFileError } from "./files.js";
import { runVector } from "./vectors.js";

process.exitCode = await runJsonLinesCli(process.argv.slice(2), {
  usage: "usage: conformance/cli.js VECTOR.json [VECTOR.json …]",
  name: "vectorCli",
  line: async (file) => {
    const { id, vector } = readVector(file);
    const mismatches = await runVector(vector);
    return { id, pass: mismatches.length === 0, mismatches };
  },
  unreadable: (error) => error instanceof VectorFileError,
});
