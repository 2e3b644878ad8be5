package jrump.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long copy on standard error: shown only once the copy has taken about a second (short
 * copies stay quiet), only when standard error is a terminal, never with -q. Counts bytes (against a
 * total when one is known) and files.
 */
final class Progress implements AutoCloseable {
    /** Below this, a copy finishes before a bar would help. */
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long MIB = 1 << 20;

    private static final Progress NONE = new Progress(null, -1, false);

    private final String task;
    private final long totalBytes;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long bytes;
    private long files;
    private ProgressBar bar;

    private Progress(String task, long totalBytes, boolean enabled) {
        this.task = task;
        this.totalBytes = totalBytes;
        this.enabled = enabled;
    }

    /** A progress display for {@code task}; {@code totalBytes} -1 when not known in advance. */
    static Progress start(String task, long totalBytes, boolean quiet) {
        if (quiet || !stderrIsTerminal()) return NONE;
        return new Progress(task, totalBytes, true);
    }

    /** Whether file descriptor 2 is a terminal: /proc says what it is open on (a pts or tty device). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Counts bytes copied; several copying threads may call it (no lock taken when nothing is shown). */
    void bytes(long n) {
        if (!enabled) return;
        synchronized (this) {
            bytes += n;
            update();
        }
    }

    void file() {
        if (!enabled) return;
        synchronized (this) {
            files++;
            update();
        }
    }

    private void update() {
        if (bar == null) {
            long elapsed = System.nanoTime() - started;
            if (elapsed < SHOW_AFTER_NANOS) return;
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes < 0 ? -1 : totalBytes / MIB)
                    .setUnit(" MiB", 1).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .startsFrom(0, Duration.ofNanos(elapsed)).build();
        }
        bar.stepTo(bytes / MIB);
        bar.setExtraMessage(" " + files + (files == 1 ? " file" : " files"));
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
