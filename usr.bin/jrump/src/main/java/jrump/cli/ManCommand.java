package jrump.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jrump man [COMMAND]}: the manual page of jrump (or of one command) in man(7) troff, made from the
 * same command definitions the parser uses, so it never drifts from the program. {@code jrump man | man -l -}.
 */
@Command(name = "man", mixinStandardHelpOptions = true, description = "Print the manual page (troff) of jrump or of one of its commands.")
final class ManCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "a command of jrump (default: jrump itself, with every command)")
    String command;

    @Override
    public Integer call() {
        CommandLine top = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        if (command == null) {
            page(out, top.getCommandSpec(), true);
            return 0;
        }
        CommandLine sub = top.getSubcommands().get(command);
        if (sub == null) throw new CliException("man: no command " + command);
        page(out, sub.getCommandSpec(), false);
        return 0;
    }

    private static void page(PrintWriter out, CommandSpec cmd, boolean withCommands) {
        String name = cmd.qualifiedName("-");
        out.println(".TH " + name.toUpperCase(java.util.Locale.ROOT) + " 1 " + LocalDate.now() + " \"jrump " + Jrump.VERSION + "\" \"User Commands\"");
        out.println(".SH NAME");
        out.println(esc(name) + " \\- " + esc(String.join(" ", cmd.usageMessage().description())));
        out.println(".SH SYNOPSIS");
        out.println(".B " + esc(cmd.qualifiedName(" ")));
        for (OptionSpec o : cmd.options()) {
            if (o.hidden()) continue;
            out.println("[\\fB" + esc(o.shortestName()) + "\\fR" + (o.arity().max() > 0 ? " \\fI" + esc(o.paramLabel()) + "\\fR" : "") + "]");
        }
        for (PositionalParamSpec p : cmd.positionalParameters()) {
            if (!p.hidden()) out.println("\\fI" + esc(p.paramLabel()) + "\\fR" + (p.arity().max() > 1 ? "..." : ""));
        }
        if (!cmd.options().isEmpty()) {
            out.println(".SH OPTIONS");
            for (OptionSpec o : cmd.options()) {
                if (o.hidden()) continue;
                out.println(".TP");
                out.println("\\fB" + esc(String.join(", ", o.names())) + "\\fR" + (o.arity().max() > 0 ? " \\fI" + esc(o.paramLabel()) + "\\fR" : ""));
                out.println(esc(String.join(" ", o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))));
            }
        }
        if (withCommands) {
            out.println(".SH COMMANDS");
            for (var e : cmd.subcommands().entrySet()) {
                CommandSpec sub = e.getValue().getCommandSpec();
                if (sub.usageMessage().hidden()) continue;
                out.println(".TP");
                out.println("\\fB" + esc(e.getKey()) + "\\fR");
                out.println(esc(String.join(" ", sub.usageMessage().description())) + " See \\fBjrump man " + esc(e.getKey()) + "\\fR.");
            }
            out.println(".SH IMAGE PATHS");
            out.println("A path inside an image is written \\fIIMAGE\\fB:\\fIPATH\\fR with an absolute \\fIPATH\\fR. The file system type is");
            out.println("detected unless \\fB\\-t\\fR names it; \\fB\\-\\-partition\\fR \\fIN\\fR or \\fB\\-\\-offset\\fR pick a part of the image.");
            out.println(".SH EXIT STATUS");
            out.println("0 on success, 1 on failure with a one-line message naming the path and the error, 2 for a usage error.");
        }
        out.println(".SH SEE ALSO");
        out.println(List.of("fsck.fat(8)", "debugfs(8)", "mtools(1)", "fusermount3(1)").stream().map(ManCommand::ref).reduce((a, b) -> a + ", " + b).orElse(""));
    }

    private static String ref(String manRef) {
        int paren = manRef.indexOf('(');
        return "\\fB" + manRef.substring(0, paren) + "\\fR" + manRef.substring(paren);
    }

    /** troff's special characters: backslashes, and a dot or quote opening a line. */
    private static String esc(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        if (e.startsWith(".") || e.startsWith("'")) e = "\\&" + e;
        return e;
    }
}
