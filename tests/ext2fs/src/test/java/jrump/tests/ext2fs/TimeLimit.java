package jrump.tests.ext2fs;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs work on a thread of its own and fails, naming the work and showing where the thread is, when it has
 * not finished in time: so a file system that loops on a corrupt image fails one case instead of hanging
 * the build. The limit catches hangs and is generous; it is not a performance threshold. The thread is a
 * daemon, interrupted and abandoned when it overruns.
 */
final class TimeLimit {
    static final String PROPERTY = "jrump.ext2fs.limitSeconds";

    private TimeLimit() {
    }

    /** The per-image limit: 60 s (generous: a machine busy with parallel builds made 20 s too short), or -Djrump.ext2fs.limitSeconds. */
    static long seconds() {
        return Long.parseLong(System.getProperty(PROPERTY, "60"));
    }

    /**
     * {@code body}'s result. Whatever it throws fails the caller as an AssertionError naming {@code what}
     * with the throwable as its cause; so does not finishing within {@code seconds}.
     */
    static <T> T run(String what, long seconds, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = Thread.ofPlatform().daemon().name("time-limited " + what).start(task);
        try {
            return task.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            StackTraceElement[] stack = t.getStackTrace();
            t.interrupt();
            StringBuilder sb = new StringBuilder(what + ": did not finish within " + seconds + " s (-D" + PROPERTY
                    + " to change); the thread is at:");
            for (int i = 0; i < Math.min(40, stack.length); i++) sb.append("\n\tat ").append(stack[i]);
            throw new AssertionError(sb.toString());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new AssertionError(what + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }
}
