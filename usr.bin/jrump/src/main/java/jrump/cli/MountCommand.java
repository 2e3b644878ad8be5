package jrump.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.p2k.P2k;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jrump mount [-t TYPE] [-o OPTIONS] [-f] IMAGE MOUNTPOINT}: an image (or, with -t tmpfs, a fresh tmpfs)
 * mounted on the host through FUSE (lib/p2k). Without -f the command starts itself again in the background
 * (its own session) and returns once the mount is live; the daemon serves until {@code umount MOUNTPOINT},
 * {@code fusermount3 -u MOUNTPOINT}, SIGTERM or SIGINT, then unmounts the image (syncing it) and exits.
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount an image (or -t tmpfs none) on a host directory through FUSE.",
                "Unmount with umount or fusermount3 -u; the daemon then syncs the image and exits."})
final class MountCommand implements Callable<Integer> {
    /** The line a detached daemon prints on its standard output once the mount is live. */
    private static final String READY = "jrump-mount-ready";

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, description = "file system type (default: detected); tmpfs for a fresh tmpfs")
    String type;

    @Option(names = "-o", description = "ro, rw, allow_other, entry_timeout=S, attr_timeout=S, threads=N, size=BYTES (tmpfs), fsname=NAME")
    String options;

    @Mixin
    CgdOptions cgd;

    @Option(names = {"-f", "--foreground"}, description = "stay in the foreground (do not detach)")
    boolean foreground;

    @Option(names = "--offset", description = "the file system starts this many bytes into the image")
    long offset;

    @Option(names = "--size", description = "and is this many bytes long (default: to the image's end)", defaultValue = "-1")
    long size;

    @Option(names = "--ready-fd-stdout", hidden = true, description = "print a line on stdout once mounted (detached daemons)")
    boolean announce;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "the image, or none with -t tmpfs")
    String source;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Override
    public Integer call() throws Exception {
        boolean tmpfs = "tmpfs".equals(type);
        MountOptions mo = MountOptions.parse(options, tmpfs ? "tmpfs" : Path.of(source).toAbsolutePath().normalize().toString());
        if (!Files.isDirectory(mountpoint)) throw new CliException(mountpoint + ": No such directory");
        if (!tmpfs && !Files.exists(Path.of(source))) throw new CliException(source + ": No such file or directory");
        // a detached daemon has no terminal to ask a passphrase on: it must come from a file or the environment
        if (!foreground && cgd.active() && !cgd.passphraseWithoutTerminal()) {
            throw new CliException("mount --cgd: give --passphrase-file or --passphrase-env, or mount in the foreground with -f");
        }
        if (!foreground) return detach();
        return serve(tmpfs, mo);
    }

    /** The foreground daemon: mount, serve until unmounted (or a signal), unmount the image. */
    private int serve(boolean tmpfs, MountOptions mo) throws Exception {
        Backing b = tmpfs ? Backing.tmpfs(mo.tmpfsSize()) : Backing.image(Path.of(source), type, mo.readOnly(), offset, size, cgd);
        P2k.Session session;
        try {
            session = P2k.mount(b.sys(), b.dir(), mountpoint, mo.p2k());
        } catch (IOException | RuntimeException e) {
            b.close();
            throw new CliException(e.getMessage()); // the messages name the mount point
        }
        Object once = new Object();
        boolean[] done = {false};
        Runnable cleanup = () -> {
            synchronized (once) {
                if (done[0]) return;
                session.unmount();
                b.close(); // unmounts the rump kernel's file system: the image is synced
                done[0] = true;
            }
        };
        Thread hook = new Thread(cleanup, "jrump-mount-shutdown");
        Runtime.getRuntime().addShutdownHook(hook); // SIGTERM, SIGINT, SIGHUP
        if (announce) {
            System.out.println(READY);
            System.out.flush();
            System.out.close(); // the parent stops waiting; nothing more goes there
        }
        session.awaitUnmount();
        cleanup.run();
        return 0;
    }

    /** What is mounted: a kernel's directory, and how to let go of it. */
    private record Backing(jrump.rumpkern.Syscalls sys, String dir, AutoCloseable owner) {
        static Backing image(Path image, String type, boolean ro, long offset, long size, CgdOptions cgd) {
            Ukfs.Options o = (ro ? Ukfs.Options.reading() : Ukfs.Options.writing()).withType(type).withWindow(offset, size);
            if (cgd.active()) o = o.withLayer(cgd.layer(image, false));
            try {
                Ukfs u = Ukfs.mount(image, o);
                return new Backing(u.syscalls(), u.kernelPath("/"), u);
            } catch (IOException e) {
                throw new CliException(e.getMessage());
            } catch (RumpException e) {
                throw new CliException(image + ": cannot mount: " + e.errno().message());
            }
        }

        static Backing tmpfs(String size) {
            RumpKernel k = RumpKernel.boot(RumpConfig.builder().build());
            try {
                k.syscalls().mkdir("/mnt", 0755);
                k.syscalls().mount("tmpfs", "/mnt", 0, "size=" + size);
                return new Backing(k.syscalls(), "/mnt", k);
            } catch (RumpException e) {
                k.close();
                throw new CliException("tmpfs: " + e.errno().message() + " (size=" + size + ")");
            }
        }

        void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new CliException("unmounting: " + e.getMessage());
            }
        }
    }

    /**
     * Starts this command again with -f in its own session (setsid), standard input from /dev/null and errors
     * into a file, and waits for its "ready" line: exit 0 once the mount is live, 1 with its error otherwise.
     */
    private int detach() throws IOException, InterruptedException {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> all = info.arguments().map(List::of).orElse(List.of());
        String java = info.command().orElse(null);
        int main = -1;
        for (int i = 0; i < all.size(); i++) if (all.get(i).endsWith("jrump.cli.Jrump")) main = i;
        int sub = main < 0 ? -1 : all.subList(main, all.size()).indexOf("mount");
        if (java == null || sub < 0) throw new CliException("cannot find this program's command line to detach: use -f");
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid");
        cmd.add(java);
        for (String a : all.subList(0, main + sub + 1)) { // the JVM's options, the main class, "mount"
            // a daemon lives long: let the JIT's optimising tier in (the launcher stops at C1 for quick commands)
            // and leave out the AOT cache recorded for those (measured: with C2, the daemon ran 2-4x slower with it)
            if (!a.startsWith("-XX:TieredStopAtLevel") && !a.startsWith("-XX:AOTCache")) cmd.add(a);
        }
        cmd.add("-f");
        cmd.add("--ready-fd-stdout");
        cmd.addAll(all.subList(main + sub + 1, all.size()));
        Path log = Files.createTempFile("jrump-mount-", ".log");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(log.toFile()).start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            line = r.readLine();
        }
        if (READY.equals(line)) {
            Files.deleteIfExists(log); // the daemon keeps writing to the unlinked file, if anything
            return 0;
        }
        p.waitFor();
        String err = Files.readString(log).strip();
        Files.deleteIfExists(log);
        spec.commandLine().getErr().println(err.isEmpty() ? "jrump: mount: the daemon exited with status " + p.exitValue() : err);
        return 1;
    }
}
