package jrump.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * File operations on jrump's in-memory root (rumpfs) against the same operations through the JDK on
 * Linux's tmpfs (/dev/shm), in one run: stat, open+close, create+unlink, 4 KiB read and write, and
 * reading a 10,000-entry directory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// a fixed, pre-touched heap: in this VM first touches of fresh heap pages cost page faults that turned
// whole iterations of allocating benchmarks into outliers (2-10x); both sides of each ratio run alike
@Fork(value = 1, jvmArgsAppend = {"-XX:+AlwaysPreTouch", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class VfsBench {
    private static final int DIR_ENTRIES = 10_000;

    private RumpKernel kernel;
    private Syscalls sys;
    private int rumpFd;
    private Path shm;
    private Path shmFile;
    private FileChannel shmChannel;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer dents = ByteBuffer.allocate(64 * 1024);
    private long counter;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        kernel = RumpKernel.boot();
        sys = kernel.syscalls();
        sys.mkdir("/d", 0755);
        int fd = sys.open("/d/f", Sys.O_CREAT | Sys.O_RDWR, 0644);
        sys.pwrite(fd, ByteBuffer.allocate(4096), 0);
        sys.close(fd);
        rumpFd = sys.open("/d/f", Sys.O_RDWR, 0);
        sys.mkdir("/big", 0755);
        for (int i = 0; i < DIR_ENTRIES; i++) sys.close(sys.open("/big/file" + i, Sys.O_CREAT | Sys.O_WRONLY, 0644));

        shm = Files.createTempDirectory(Path.of("/dev/shm"), "jrump-bench");
        shmFile = shm.resolve("f");
        Files.write(shmFile, new byte[4096]);
        shmChannel = FileChannel.open(shmFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Path big = Files.createDirectory(shm.resolve("big"));
        for (int i = 0; i < DIR_ENTRIES; i++) Files.createFile(big.resolve("file" + i));
    }

    @TearDown(Level.Trial)
    public void teardown() throws IOException {
        kernel.halt();
        shmChannel.close();
        try (Stream<Path> s = Files.walk(shm)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Benchmark
    public long rumpStat() {
        return sys.stat("/d/f").size();
    }

    @Benchmark
    public long hostStat() throws IOException {
        return Files.readAttributes(shmFile, BasicFileAttributes.class).size();
    }

    @Benchmark
    public int rumpOpenClose() {
        int fd = sys.open("/d/f", Sys.O_RDONLY, 0);
        sys.close(fd);
        return fd;
    }

    @Benchmark
    public FileChannel hostOpenClose() throws IOException {
        FileChannel c = FileChannel.open(shmFile, StandardOpenOption.READ);
        c.close();
        return c;
    }

    @Benchmark
    public int rumpCreateUnlink() {
        String p = "/d/n" + (counter++ & 1023);
        int fd = sys.open(p, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_EXCL, 0644);
        sys.close(fd);
        sys.unlink(p);
        return fd;
    }

    @Benchmark
    public Path hostCreateUnlink() throws IOException {
        Path p = shm.resolve("n" + (counter++ & 1023));
        Files.createFile(p);
        Files.delete(p);
        return p;
    }

    @Benchmark
    public long rumpRead4k() {
        return sys.pread(rumpFd, buf.clear(), 0);
    }

    @Benchmark
    public int hostRead4k() throws IOException {
        return shmChannel.read(buf.clear(), 0);
    }

    @Benchmark
    public long rumpWrite4k() {
        return sys.pwrite(rumpFd, buf.clear(), 0);
    }

    @Benchmark
    public int hostWrite4k() throws IOException {
        return shmChannel.write(buf.clear(), 0);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long rumpReaddir10k() {
        int fd = sys.open("/big", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        long total = 0;
        int n;
        while ((n = sys.getdents(fd, dents.clear())) > 0) total += n;
        sys.close(fd);
        return total;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long hostReaddir10k() throws IOException {
        long total = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(shm.resolve("big"))) {
            for (Path p : ds) total += p.getFileName().toString().length();
        }
        return total;
    }
}
