package io.twinflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.command.TwinflowCommand;
import io.twinflow.core.error.UserMistakeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@link Main} turns what a command throws or returns into stderr and an exit code. */
class MainTest {

    /** Throws what the test asks for (made where it runs, as a real failure would be), or returns a code of its own. */
    @CommandLine.Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        private final Supplier<Throwable> failure;
        private final int code;

        Probe(Supplier<Throwable> failure, int code) {
            this.failure = failure;
            this.code = code;
        }

        @Override
        public Integer call() throws Exception {
            Throwable thrown = failure == null ? null : failure.get();
            if (thrown instanceof Exception e) {
                throw e;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
            return code;
        }
    }

    private record Outcome(int code, String err) {
    }

    private static Outcome run(Probe probe, String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine(probe).setErr(new PrintWriter(err, true));
        return new Outcome(Main.run(line, args), err.toString());
    }

    @Test
    void aUserMistakeIsItsOneLineAndExitTwo() {
        Outcome o = run(new Probe(() -> new UserMistakeException("no local stack is running: start one with `./twinflow local up`"), 0));
        assertThat(o.code()).isEqualTo(Main.USER_MISTAKE).isEqualTo(2);
        assertThat(o.err()).isEqualTo("twinflow: no local stack is running: start one with `./twinflow local up`" + System.lineSeparator());
    }

    @Test
    void aCommandLineThatDoesNotParseIsOneLineThatPointsAtTheHelpAndExitTwo() {
        Outcome o = run(new Probe(null, 0), "--no-such-flag");
        assertThat(o.code()).isEqualTo(Main.USER_MISTAKE);
        assertThat(o.err().lines()).singleElement().asString()
                .startsWith("twinflow: Unknown option: '--no-such-flag'")
                .endsWith("(see `probe --help`)");
    }

    @Test
    void aBrokenInvariantPrintsItsStackTraceAndExitsWithItsOwnCode() {
        Outcome o = run(new Probe(() -> new IllegalStateException("batch accounting does not add up: 10 != 9"), 0));
        assertThat(o.code()).isEqualTo(Main.INTERNAL_ERROR).isNotIn(0, 1, 2, 3, 4);
        assertThat(o.err()).startsWith("java.lang.IllegalStateException: batch accounting does not add up: 10 != 9")
                .contains("\tat " + Probe.class.getName() + ".call(");
    }

    @Test
    void anUntypedIllegalArgumentIsABugNotAUserMistake() {
        Outcome o = run(new Probe(() -> new IllegalArgumentException("shardCount must be >= 1"), 0));
        assertThat(o.code()).isEqualTo(Main.INTERNAL_ERROR);
        assertThat(o.err()).startsWith("java.lang.IllegalArgumentException: shardCount must be >= 1").contains("\tat ");
    }

    @Test
    void anErrorIsABugToo() {
        Outcome o = run(new Probe(() -> new AssertionError("unreachable"), 0));
        assertThat(o.code()).isEqualTo(Main.INTERNAL_ERROR);
        assertThat(o.err()).startsWith("java.lang.AssertionError: unreachable").contains("\tat ");
    }

    @Test
    void aCommandsOwnExitCodeAndSilenceGoThrough() {
        Outcome o = run(new Probe(null, 3));
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).isEmpty();
    }

    @Test
    void aCommandLineThatNamesACommandHoldsThatCommandAloneAndParsesAsTheWholeTreeDoes() {
        assertThat(Main.forArguments("state", "sensor-1").getSubcommands().keySet()).containsExactly("state");
        assertThat(Main.forArguments("local", "status").getSubcommands().get("local").getSubcommands().keySet())
                .containsExactlyInAnyOrder("up", "status", "down");
        CommandLine whole = Main.commandLine(new TwinflowCommand());
        assertThat(Main.forArguments("--help").getSubcommands().keySet()).isEqualTo(whole.getSubcommands().keySet());
        assertThat(Main.forArguments().getSubcommands().keySet()).isEqualTo(whole.getSubcommands().keySet());
        assertThat(Main.forArguments("help", "state").getSubcommands().keySet()).isEqualTo(whole.getSubcommands().keySet());
        assertThat(Main.forArguments("completion").getSubcommands().keySet()).isEqualTo(whole.getSubcommands().keySet());
        assertThat(Main.forArguments("no-such-command").getSubcommands().keySet()).isEqualTo(whole.getSubcommands().keySet());

        // A mistake on the one-command line reads as it does on the whole tree: the same line, the same exit code.
        StringWriter alone = new StringWriter();
        StringWriter inWhole = new StringWriter();
        String[] args = {"state", "sensor-1", "--no-such-option"};
        int aloneCode = Main.run(Main.forArguments(args).setErr(new PrintWriter(alone, true)), args);
        int wholeCode = Main.run(whole.setErr(new PrintWriter(inWhole, true)), args);
        assertThat(aloneCode).isEqualTo(wholeCode).isEqualTo(Main.USER_MISTAKE);
        assertThat(alone.toString()).isEqualTo(inWhole.toString())
                .isEqualTo("twinflow: Unknown option: '--no-such-option' (see `twinflow state --help`)" + System.lineSeparator());
    }
}
