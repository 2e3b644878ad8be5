package jrump.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jrump completion}: a bash (and zsh, through bashcompinit) completion script made from the command
 * definitions: {@code source <(jrump completion)}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for jrump: source <(jrump completion)")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine top = Jrump.commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("jrump", top));
        return 0;
    }
}
