/**
 * What the conformance CLIs share: the loop that prints one JSON line per input file, the same in
 * Python ({@code checkout_payments.json_lines_cli}) and TypeScript ({@code @checkout/core}
 * {@code src/jsonLinesCli.ts}), so the conformance driver can compare their lines byte for byte.
 */
package com.checkout.cli;
