package io.twinflow.cli.command;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;

@CommandLine.Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints the bash and zsh completion script of every twinflow command, option and value, generated from the "
                + "commands themselves.",
                "Use it now: source <(./twinflow completion); for good: ./twinflow completion > ~/.twinflow-completion.bash and source "
                        + "that file from ~/.bashrc (zsh: autoload -U +X bashcompinit && bashcompinit first). The repository ships "
                        + "the same script as cli/completion/twinflow.bash."})
public final class CompletionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(script());
        return 0;
    }

    /** The script for the whole command tree, as picocli generates it. */
    public static String script() {
        return AutoComplete.bash("twinflow", new CommandLine(new TwinflowCommand()).setCaseInsensitiveEnumValuesAllowed(true));
    }
}
