package jrump.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import jrump.rumpkern.RumpKernel;

/** Booting (rump_init) and halting a kernel in a warm JVM. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// a fixed, pre-touched heap: in this VM first touches of fresh heap pages cost page faults that turned
// whole iterations of allocating benchmarks into outliers (2-10x); both sides of each ratio run alike
@Fork(value = 1, jvmArgsAppend = {"-XX:+AlwaysPreTouch", "-Xms2g", "-Xmx2g"})
public class BootBench {

    @Benchmark
    public int bootAndHalt() {
        RumpKernel rk = RumpKernel.boot();
        int n = rk.ncpu();
        rk.halt();
        return n;
    }

    @Benchmark
    public int bootFirstSyscallAndHalt() {
        RumpKernel rk = RumpKernel.boot();
        int pid = rk.syscalls().getpid();
        rk.halt();
        return pid;
    }
}
