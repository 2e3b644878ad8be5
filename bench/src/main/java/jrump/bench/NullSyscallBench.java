package jrump.bench;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Syscalls;

/**
 * A null system call: getpid through the public wrapper (schedule a virtual CPU, dispatch through
 * sysent, unschedule), against the host's getpid(2) called through FFM, a real system call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class NullSyscallBench {
    private RumpKernel kernel;
    private Syscalls sys;
    private MethodHandle hostGetpid;

    @Setup(Level.Trial)
    public void boot() {
        kernel = RumpKernel.boot(RumpConfig.builder().ncpu(2).build());
        sys = kernel.syscalls();
        Linker linker = Linker.nativeLinker();
        hostGetpid = linker.downcallHandle(linker.defaultLookup().find("getpid").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    @TearDown(Level.Iteration)
    public void counters() {
        System.err.println("scheduler: " + kernel.schedulerCounters());
    }

    @TearDown(Level.Trial)
    public void halt() {
        kernel.halt();
    }

    @Benchmark
    @Threads(1)
    public int rumpGetpid1Thread() {
        return sys.getpid();
    }

    @Benchmark
    @Threads(2)
    public int rumpGetpid2Threads() {
        return sys.getpid();
    }

    /** One kernel per thread: what two threads cost when they share nothing of the kernel. */
    @State(Scope.Thread)
    public static class OwnKernel {
        RumpKernel kernel;
        Syscalls sys;

        @Setup(Level.Trial)
        public void boot() {
            kernel = RumpKernel.boot(RumpConfig.builder().ncpu(1).build());
            sys = kernel.syscalls();
        }

        @TearDown(Level.Trial)
        public void halt() {
            kernel.halt();
        }
    }

    @Benchmark
    @Threads(2)
    public int rumpGetpid2ThreadsOwnKernels(OwnKernel own) {
        return own.sys.getpid();
    }

    @Benchmark
    @Threads(1)
    public int hostGetpid1Thread() throws Throwable {
        return (int) hostGetpid.invokeExact();
    }

    @Benchmark
    @Threads(2)
    public int hostGetpid2Threads() throws Throwable {
        return (int) hostGetpid.invokeExact();
    }
}
