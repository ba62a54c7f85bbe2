#!/usr/bin/env node
// Conformance validator: `node dist/config/validateCli.js CASE.json…` prints one verdict line per
// case, in order. Exit 0 when every case file could be read (a verdict is data, not failure), 2
// otherwise (config/LOADING.md).
import { runJsonLinesCli } from "../jsonLinesCli.js";
import { CaseFileError, readCase, verdict } from "./conformanceCase.js";

process.exitCode = await runJsonLinesCli(process.argv.slice(2), {
  usage: "usage: validateCli.js CASE.json [CASE.json …]",
  name: "validateCli",
  line: (file) => verdict(readCase(file)),
  unreadable: (error) => error instanceof CaseFileError,
});
