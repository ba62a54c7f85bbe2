package com.checkout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One JSON line per input file, in the order given. A file that cannot be read is reported on
 * stderr and skipped; the other files still get their line, and the exit code becomes 2.
 */
public final class JsonLinesCli {
    /** The line of one file; throws for a file that cannot be read. */
    @FunctionalInterface
    public interface LineOfFile {
        /**
         * Reads one file into its output line.
         *
         * @param file the file named on the command line
         * @return its line
         * @throws IOException when the file cannot be read or parsed
         */
        JsonNode read(Path file) throws IOException;
    }

    private final String usage;
    private final String what;
    private final ObjectMapper mapper;
    private final LineOfFile lineOfFile;

    /**
     * A CLI over files of one kind.
     *
     * @param usage the usage line, printed when no file is named
     * @param what what a file holds, for the message of one that cannot be read
     * @param mapper writes the lines
     * @param lineOfFile reads one file into its line
     */
    public JsonLinesCli(String usage, String what, ObjectMapper mapper, LineOfFile lineOfFile) {
        this.usage = usage;
        this.what = what;
        this.mapper = mapper;
        this.lineOfFile = lineOfFile;
    }

    /**
     * Runs on the process's stdout (UTF-8, whatever the platform default) and exits with the code.
     *
     * @param args the files
     */
    public void main(String[] args) {
        PrintStream out = new PrintStream(
                new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err));
    }

    /**
     * Prints the line of each file of {@code args}.
     *
     * @param args the files
     * @param out where the lines go
     * @param err where the usage and the unreadable files go
     * @return 0 when every file was read, 2 otherwise
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(usage);
            return 2;
        }
        int status = 0;
        for (String arg : args) {
            try {
                out.println(mapper.writeValueAsString(lineOfFile.read(Path.of(arg))));
            } catch (IOException | IllegalArgumentException e) {
                err.println(arg + ": not a readable " + what + ": " + e.getMessage());
                status = 2;
            }
        }
        out.flush();
        return status;
    }
}
