package jrump.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * The bulk-data services of {@code jrump server}, for measuring a link: discard (RFC 863, TCP port 9:
 * reads and drops everything) and character generator (RFC 864, TCP port 19: sends its 72-character
 * lines until the client closes). Each connection is served by a virtual thread through the system calls.
 */
final class BulkServices {
    static final int DISCARD_PORT = 9;
    static final int CHARGEN_PORT = 19;
    /** Socket buffer bytes for the bulk services (Integer.getInteger: jrump.bulk.buffer). */
    static final int BUFFER = Integer.getInteger("jrump.bulk.buffer", 1 << 20);

    private BulkServices() {
    }

    static void startDiscard(Syscalls sys) {
        serve(sys, DISCARD_PORT, "discard", c -> {
            ByteBuffer b = ByteBuffer.allocate(256 * 1024);
            while (true) {
                b.clear();
                if (sys.read(c, b) == 0) break;
            }
        });
    }

    static void startChargen(Syscalls sys) {
        byte[] pattern = chargenPattern();
        serve(sys, CHARGEN_PORT, "chargen", c -> {
            // 256 KiB of whole lines per write: the pattern repeats every 95 lines
            int lines = 95 * 38;
            byte[] block = new byte[lines * 74];
            for (int i = 0; i < lines; i++) System.arraycopy(pattern, (i % 95) * 74, block, i * 74, 74);
            ByteBuffer b = ByteBuffer.wrap(block);
            while (true) {
                b.clear();
                while (b.hasRemaining()) sys.write(c, b);
            }
        });
    }

    /** RFC 864: line i is the 72 printable ASCII characters starting at the i-th one, then CR LF. */
    private static byte[] chargenPattern() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 95; i++) {
            for (int k = 0; k < 72; k++) sb.append((char) (' ' + (i + k) % 95));
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private interface Session {
        void run(int c);
    }

    private static void serve(Syscalls sys, int port, String name, Session session) {
        int s = DualStack.bound(sys, Sys.SOCK_STREAM, port);
        // big buffers, inherited by each connection, so the window (not the service) sets the pace
        ByteBuffer size = ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(0, BUFFER);
        sys.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVBUF, size);
        sys.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_SNDBUF, size.rewind());
        sys.listen(s, Sys.SOMAXCONN);
        Thread.ofVirtual().name(name).start(() -> {
            try {
                while (true) {
                    int c = sys.accept(s);
                    Thread.ofVirtual().name(name + "-" + c).start(() -> {
                        try {
                            session.run(c);
                        } catch (RumpException e) {
                            // the client closed (EPIPE, ECONNRESET) or the kernel is halting
                        } finally {
                            try {
                                sys.close(c);
                            } catch (RumpException e) {
                                // already gone
                            }
                        }
                    });
                }
            } catch (RumpException e) {
                // the kernel is halting
            }
        });
    }
}
