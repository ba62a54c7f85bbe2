package com.checkout.conformance;

import com.checkout.cli.JsonLinesCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java vector CLI: {@code java -cp checkout-config-cli.jar com.checkout.conformance.VectorCli
 * FILE...} prints one line {@code {"id": ..., "pass": ..., "mismatches": [...]}} per vector file.
 * Exit code 0 when every file could be read (a failing vector is data, not a crash), 2 otherwise.
 */
public final class VectorCli {
    private static final JsonLinesCli CLI = new JsonLinesCli(
            "usage: java -cp checkout-config-cli.jar "
                    + "com.checkout.conformance.VectorCli VECTOR_FILE...",
            "vector", Vectors.MAPPER, VectorCli::verdict);

    private VectorCli() {}

    /**
     * Runs the vectors named on the command line.
     *
     * @param args vector files
     */
    public static void main(String[] args) {
        CLI.main(args);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return CLI.run(args, out, err);
    }

    static ObjectNode verdict(Path file) throws IOException {
        JsonNode vector = Vectors.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        JsonNode id = vector == null ? null : vector.get("id");
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("expected an object with a string \"id\"");
        }
        List<String> mismatches = VectorRunner.runVector(vector);
        ObjectNode line = Vectors.MAPPER.createObjectNode();
        line.put("id", id.textValue());
        line.put("pass", mismatches.isEmpty());
        mismatches.forEach(line.putArray("mismatches")::add);
        return line;
    }
}
