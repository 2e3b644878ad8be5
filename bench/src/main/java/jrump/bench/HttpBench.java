package jrump.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jrump.netchan.KernelChannels;
import jrump.netchan.http.HttpFileServer;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/**
 * HTTP requests per second to the same HttpFileServer code on three stacks in one run: the host's (the
 * JDK's provider, 127.0.0.1), one kernel's lo0 (KernelChannels), and two kernels on a shmif bus. The load
 * generator is ours on the same provider as the clients: CONNS keep-alive connections, each a thread
 * sending GET for a 1 KiB file and reading the whole response before the next.
 * Usage: HttpBench [seconds per run] [connections]
 */
public final class HttpBench {
    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int conns = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path docs = Files.createTempDirectory("jrump-httpbench");
        Files.write(docs.resolve("small.bin"), new byte[1024]);
        Path bus = docs.resolve("bus");
        try {
            for (int round = 0; round < 2; round++) {
                SelectorProvider host = SelectorProvider.provider();
                report("host stack (JDK provider, 127.0.0.1)", run(host, host, InetAddress.getLoopbackAddress(), docs, seconds, conns), seconds);
                try (RumpKernel k = RumpKernel.boot(RumpConfig.builder().ncpu(2).build())) {
                    KernelChannels p = KernelChannels.provider(k);
                    report("one kernel, lo0 (KernelChannels)", run(p, p, InetAddress.getLoopbackAddress(), docs, seconds, conns), seconds);
                }
                try (RumpKernel a = RumpKernel.boot(RumpConfig.builder().ncpu(2).build());
                     RumpKernel b = RumpKernel.boot(RumpConfig.builder().ncpu(2).build())) {
                    a.pub().netifCreate("shmif0", bus.toString());
                    a.pub().netifAddr("shmif0", "10.98.0.1/24");
                    b.pub().netifCreate("shmif0", bus.toString());
                    b.pub().netifAddr("shmif0", "10.98.0.2/24");
                    report("two kernels, shmif", run(KernelChannels.provider(a), KernelChannels.provider(b),
                            InetAddress.getByName("10.98.0.1"), docs, seconds, conns), seconds);
                } catch (IOException | RuntimeException e) {
                    System.out.println("http GET 1 KiB, keep-alive: two kernels, shmif: FAILED: " + e);
                }
                Files.deleteIfExists(bus);
            }
        } finally {
            Files.deleteIfExists(bus);
            Files.deleteIfExists(docs.resolve("small.bin"));
            Files.deleteIfExists(docs);
        }
    }

    private static void report(String what, long requests, int seconds) {
        System.out.printf("http GET 1 KiB, keep-alive: %-40s %8.0f requests/s%n", what, (double) requests / seconds);
    }

    private static long run(SelectorProvider serverSide, SelectorProvider clientSide, InetAddress at, Path docs, int seconds, int conns)
            throws Exception {
        try (HttpFileServer server = HttpFileServer.start(serverSide, new InetSocketAddress(at, 0), docs)) {
            InetSocketAddress to = new InetSocketAddress(at, server.address().getPort());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < conns; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (SocketChannel c = clientSide.openSocketChannel()) {
                        c.connect(to);
                        ByteBuffer req = ByteBuffer.wrap("GET /small.bin HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        ByteBuffer in = ByteBuffer.allocate(8192);
                        while (!stop.get()) {
                            req.rewind();
                            while (req.hasRemaining()) c.write(req);
                            readResponse(c, in);
                            done.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        System.err.println("http bench: " + e);
                    }
                }));
            }
            Thread.sleep(500); // warm-up, not counted
            long before = done.get();
            Thread.sleep(seconds * 1000L);
            long count = done.get() - before;
            stop.set(true);
            for (Thread t : threads) t.join();
            if (failed.get() > 0) throw new IOException(failed.get() + " connections failed");
            return count;
        }
    }

    /** Reads one response (head, then Content-Length bytes) off {@code c}; {@code in} carries leftovers. */
    private static void readResponse(SocketChannel c, ByteBuffer in) throws IOException {
        int headEnd;
        while ((headEnd = find(in)) < 0) {
            if (c.read(in) < 0) throw new IOException("closed");
        }
        String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
        int i = head.indexOf("Content-Length: ");
        if (!head.startsWith("HTTP/1.1 200") || i < 0) throw new IOException("bad response: " + head);
        int eol = head.indexOf('\r', i);
        int len = Integer.parseInt(head.substring(i + 16, eol < 0 ? head.length() : eol));
        int total = headEnd + 4 + len;
        while (in.position() < total) {
            if (c.read(in) < 0) throw new IOException("closed");
        }
        in.flip().position(total);
        in.compact();
    }

    private static int find(ByteBuffer in) {
        byte[] a = in.array();
        for (int i = 0; i + 3 < in.position(); i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') return i;
        }
        return -1;
    }
}
