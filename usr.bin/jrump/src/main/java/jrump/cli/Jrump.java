package jrump.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The jrump command line: one subcommand per task. */
@Command(name = "jrump", mixinStandardHelpOptions = true, versionProvider = Jrump.Version.class,
        description = "NetBSD's rump kernels in Java: kernels as libraries, file systems and network stacks without root.")
public final class Jrump implements Runnable {
    static final String VERSION = "0.1.0";

    /**
     * The commands, in the order help lists them. A command line builds the model of only the command it
     * runs (picocli's reflection over every command's options is most of a short command's start-up); help,
     * man, completion and unknown words get all of them.
     */
    static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, InfoCommand.class, MountCommand.class, LsCommand.class, CatCommand.class,
            CpCommand.class, MkdirCommand.class, RmCommand.class, SimpleCommands.Mv.class, SimpleCommands.Ln.class,
            SimpleCommands.Chmod.class, SimpleCommands.Chown.class, SimpleCommands.Touch.class, SimpleCommands.Write.class,
            StatCommand.class, DfCommand.class, SimpleCommands.Du.class, SimpleCommands.Find.class, DiffCommand.class,
            NewfsCommand.class, MakefsCommand.class, FsckCommand.class, CgdconfigCommand.class, BootCommand.class, ServerCommand.class, PingCommand.class, FetchCommand.class, ShmifDumpCommand.class, ManCommand.class,
            CompletionCommand.class, AotTrainCommand.class, CommandLine.HelpCommand.class);
    /** Commands that describe the others, so they need every command's model. */
    private static final Set<String> NEED_ALL = Set.of("help", "man", "completion");

    /** A command line for {@code args}: the top command with the one subcommand {@code args} names, or all. */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Jrump());
        String first = args.length > 0 ? args[0] : "";
        Class<?> only = null;
        if (!NEED_ALL.contains(first)) {
            for (Class<?> c : COMMANDS) {
                if (c.getAnnotation(Command.class).name().equals(first)) only = c;
            }
        }
        for (Class<?> c : only != null ? List.of(only) : COMMANDS) cl.addSubcommand(c);
        return cl;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where commands that write bytes (cat) write them: standard output, or what a caller gave {@link #run}. */
    private static final ThreadLocal<java.io.OutputStream> RAW_OUT = ThreadLocal.withInitial(() -> System.out);

    static java.io.OutputStream rawOut() {
        return RAW_OUT.get();
    }

    /** Where commands that read bytes (write) read them: standard input, or what a test set. */
    private static final ThreadLocal<java.io.InputStream> RAW_IN = ThreadLocal.withInitial(() -> System.in);

    static java.io.InputStream rawIn() {
        return RAW_IN.get();
    }

    /** As {@link #run(java.io.OutputStream, PrintWriter, PrintWriter, String...)}, with {@code in} as standard input. */
    public static int run(java.io.InputStream in, java.io.OutputStream raw, PrintWriter out, PrintWriter err, String... args) {
        java.io.InputStream before = RAW_IN.get();
        RAW_IN.set(in);
        try {
            return run(raw, out, err, args);
        } finally {
            RAW_IN.set(before); // a command may run others (demo): the outer one's streams come back
        }
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)}, with file bytes (cat) going to {@code raw}. */
    public static int run(java.io.OutputStream raw, PrintWriter out, PrintWriter err, String... args) {
        java.io.OutputStream before = RAW_OUT.get();
        RAW_OUT.set(raw);
        try {
            return run(out, err, args);
        } finally {
            RAW_OUT.set(before);
        }
    }

    /** Runs the command line and returns the exit status (0 success, 1 failure, 2 usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // a user's mistake or a kernel error: one line, never a stack trace
            cmd.getErr().println("jrump: " + e.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jrump " + VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
