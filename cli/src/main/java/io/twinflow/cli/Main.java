package io.twinflow.cli;

import io.twinflow.cli.command.TwinflowCommand;
import io.twinflow.core.error.UserMistakeException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Entry point of the {@code twinflow} command, and the one place that turns what a command throws
 * into an exit code (documented in cli/README.md).
 */
public final class Main {

    /** A user mistake ({@link UserMistakeException}, or a command line picocli cannot parse): one line on stderr. */
    public static final int USER_MISTAKE = 2;

    /**
     * Anything else that escapes a command: a broken invariant, a bug, a failure the command does not
     * expect. The stack trace goes to stderr. 70 is EX_SOFTWARE of sysexits.h, apart from the codes
     * commands return for their own outcomes (1, 3, 4).
     */
    public static final int INTERNAL_ERROR = 70;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(forArguments(args), args);
    }

    /**
     * The command line for these arguments. Picocli builds its model of a command by reflection over its class, its
     * options and its subcommands: for all of twinflow's commands that is a good part of what a quick command such as
     * {@code state} costs. A command line that names a command gets a root holding that command alone; help, the
     * completion script and anything that names no command get every command.
     */
    static CommandLine forArguments(String... args) {
        Optional<Class<?>> named = args.length == 0 ? Optional.empty() : TwinflowCommand.command(args[0]);
        if (named.isEmpty()) {
            return commandLine(new TwinflowCommand());
        }
        CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name(TwinflowCommand.NAME));
        root.addSubcommand(named.get());
        return configure(root);
    }

    /** The command line with Main's error handling, for any command object (tests use their own). */
    static CommandLine commandLine(Object command) {
        return configure(new CommandLine(command));
    }

    /** Main's error handling, on {@code line} and the subcommands it has now. */
    private static CommandLine configure(CommandLine line) {
        return line
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::parseError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd.getErr()));
    }

    static int run(CommandLine line, String... args) {
        try {
            return line.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler: an Error (an assertion, a stack overflow) ends up here.
            return failure(e, line.getErr());
        }
    }

    /** Instead of picocli's message plus the whole usage: the message and where the usage is, in one line. */
    private static int parseError(CommandLine.ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        String help = " (see `" + line.getCommandSpec().qualifiedName() + " --help`)";
        return failure(new UserMistakeException(e.getMessage() + help, e), line.getErr());
    }

    private static int failure(Throwable e, PrintWriter err) {
        if (e instanceof UserMistakeException) {
            err.println("twinflow: " + e.getMessage());
            return USER_MISTAKE;
        }
        e.printStackTrace(err);
        err.flush();
        return INTERNAL_ERROR;
    }
}
