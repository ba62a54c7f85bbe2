// The loop both conformance CLIs share: one JSON line per input file, in the order given. Python
// (`run_json_lines_cli`) and Java (`JsonLinesCli.run`) have the same loop, so the conformance driver
// can compare their lines byte for byte.

export interface JsonLinesCli {
  /** Printed to stderr when no file is named. */
  readonly usage: string;
  /** Prefixes the stderr message of a file that cannot be read. */
  readonly name: string;
  /** The line of one file; throws an error `unreadable` accepts for a file that cannot be read. */
  readonly line: (file: string) => unknown;
  /** Whether `error` means the file cannot be read (anything else is a bug and propagates). */
  readonly unreadable: (error: unknown) => error is Error;
}

/**
 * Prints the line of each file; 0 when every file was read, 2 otherwise. A file that cannot be read
 * is reported on stderr and skipped; the other files still get their line.
 */
export async function runJsonLinesCli(files: readonly string[], cli: JsonLinesCli): Promise<number> {
  if (files.length === 0) {
    process.stderr.write(`${cli.usage}\n`);
    return 2;
  }
  let exitCode = 0;
  for (const file of files) {
    try {
      process.stdout.write(`${JSON.stringify(await cli.line(file))}\n`);
    } catch (error) {
      if (!cli.unreadable(error)) {
        throw error;
      }
      process.stderr.write(`${cli.name}: ${error.message}\n`);
      exitCode = 2;
    }
  }
  return exitCode;
}
