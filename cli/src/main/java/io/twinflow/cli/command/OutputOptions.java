package io.twinflow.cli.command;

import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import java.io.IOException;
import picocli.CommandLine;

/**
 * How a command prints its data: {@code --output table|json|csv}, the one option every data-printing command
 * mixes in. {@code --format} is the older name {@code query} had; {@code --json} the older switch of {@code state},
 * {@code metrics} and {@code reconcile}: both stay as aliases. What each format shows comes from the command's
 * {@link View}.
 */
public final class OutputOptions {

    @CommandLine.Option(names = {"--output", "--format"}, paramLabel = "table|json|csv",
            description = {"table: for people; json: for scripts (the shapes the README lists); csv: RFC 4180, a header row and "
                    + "the rows the table shows (see the command's description for data that is not a table). "
                    + "Default: table unless the description says otherwise. --format is an alias of --output."})
    ResultFormat output;

    @CommandLine.Option(names = "--json", description = "Alias of --output json.")
    boolean json;

    /** The format asked for, or {@code fallback} when neither option was given. */
    public ResultFormat format(ResultFormat fallback) {
        if (json && output != null && output != ResultFormat.json) {
            throw new UserMistakeException("--json means --output json: give one of them, not --json with --output " + output);
        }
        if (json) {
            return ResultFormat.json;
        }
        return output != null ? output : fallback;
    }

    /** Prints {@code view} on stdout in the format asked for, table when none was. */
    public void print(View view) throws IOException {
        print(view, ResultFormat.table);
    }

    /** Prints {@code view} on stdout in the format asked for, {@code fallback} when none was. */
    public void print(View view, ResultFormat fallback) throws IOException {
        System.out.print(view.render(format(fallback)));
        System.out.flush();
    }
}
