package io.twinflow.cli.command;

import io.twinflow.cli.Main;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisEventSourceMapping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

/** One run of the CLI in-process against an embedded stack, for the ITs that drive commands: its exit code and output. */
record CliRun(int exitCode, String stdout, String stderr) {

    /** Runs the CLI against the stack that wrote {@code endpointsFile}, capturing stdout and stderr. */
    static synchronized CliRun of(Path endpointsFile, String... args) {
        String[] withTarget = Stream.concat(Arrays.stream(args), Stream.of("--endpoints-file", endpointsFile.toString()))
                .toArray(String[]::new);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(withTarget);
            return new CliRun(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** {@link #of}, with {@code stdin} as standard input (for {@code -e -}). */
    static synchronized CliRun withStdin(byte[] stdin, Path endpointsFile, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            return of(endpointsFile, args);
        } finally {
            System.setIn(in);
        }
    }

    /** Waits until the stack's event source mapping has read {@code records} records and settled them all. */
    static void awaitSettled(EmbeddedRuntime runtime, long records, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KinesisEventSourceMapping.Stats s = runtime.mapping().stats();
            if (s.recordsRead() >= records && s.inFlight() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the mapping did not settle " + records + " records: " + runtime.mapping().stats());
    }
}
