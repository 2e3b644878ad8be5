package jrump.netchan.http;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 file server (RFC 9110, RFC 9112) on plain NIO channels of any SelectorProvider: the
 * JDK's for the host's stack, {@code KernelChannels.provider(rk)} for a kernel's. One thread and one
 * selector serve every connection; GET and HEAD, persistent connections and pipelining, Content-Length
 * always (no chunking needed for files), files streamed in 64 KiB pieces, directories as index.html or a
 * listing. The served directory is never escaped (DocRoot).
 */
public final class HttpFileServer implements Closeable {
    private static final int IN_BUFFER = HttpRequest.MAX_HEAD + 1024;
    private static final int FILE_CHUNK = 64 * 1024;
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("css", "text/css"), Map.entry("js", "text/javascript"), Map.entry("json", "application/json"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"));

    /** RFC 9110 5.6.7's IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final DocRoot root;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong requests = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger lingering = new java.util.concurrent.atomic.AtomicInteger();
    /** How long a closing connection's input is drained at most. */
    private static final long LINGER_NANOS = 2_000_000_000L;
    private volatile boolean closing;

    private HttpFileServer(SelectorProvider provider, InetSocketAddress at, Path dir) throws IOException {
        this.root = new DocRoot(dir);
        // an IPv6 address ("::" for dual-stack) needs a PF_INET6 listener; it takes IPv4 clients too
        this.listener = at.getAddress() instanceof java.net.Inet6Address
                ? provider.openServerSocketChannel(java.net.StandardProtocolFamily.INET6) : provider.openServerSocketChannel();
        try {
            listener.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(at, 128);
            listener.configureBlocking(false);
            this.selector = provider.openSelector();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("http-" + at.getPort()).daemon().unstarted(this::loop);
    }

    /** Serves {@code dir} at {@code at} (port 0: any) through {@code provider}'s channels until closed. */
    public static HttpFileServer start(SelectorProvider provider, InetSocketAddress at, Path dir) throws IOException {
        HttpFileServer s = new HttpFileServer(provider, at, dir);
        s.thread.start();
        return s;
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        closing = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (!closing) {
                selector.select(1000);
                if (lingering.get() > 0) closeLingeredOut();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    if (k.channel() == listener) {
                        acceptAll();
                    } else {
                        Conn c = (Conn) k.attachment();
                        try {
                            c.ready(k);
                        } catch (IOException | RuntimeException e) {
                            c.close(); // reset by the peer, a file that went away: this connection only
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the kernel is halting (its calls fail from now on): stop serving
        } finally {
            for (SelectionKey k : selector.keys()) {
                if (k.attachment() instanceof Conn c) c.close();
            }
            try {
                listener.close();
                selector.close();
            } catch (IOException | RuntimeException e) {
                // nothing more to do
            }
        }
    }

    private void closeLingeredOut() {
        long now = System.nanoTime();
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Conn c && c.lingerUntil != 0 && now - c.lingerUntil > 0) c.close();
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            ch.configureBlocking(false);
            try {
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException | UnsupportedOperationException e) {
                // a latency nicety only
            }
            Conn c = new Conn(ch);
            ch.register(selector, SelectionKey.OP_READ, c);
        }
    }

    /** One connection: its unread input, the response being sent and the file being streamed. */
    private final class Conn {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(IN_BUFFER);
        ByteBuffer out;
        FileChannel file;
        long fileLeft;
        ByteBuffer chunk;
        boolean closeAfter;
        boolean peerDone;
        long lingerUntil;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        /**
         * RFC 9112 9.6: after the last response, close our half and read until the client closes (or
         * LINGER_NANOS), so that unread request bytes do not turn our close into a reset that could destroy
         * the response before the client read it.
         */
        private void linger(SelectionKey k) throws IOException {
            if (lingerUntil != 0) return;
            lingerUntil = System.nanoTime() + LINGER_NANOS;
            lingering.incrementAndGet();
            ch.shutdownOutput();
            k.interestOps(SelectionKey.OP_READ);
            drain();
        }

        private void drain() throws IOException {
            ByteBuffer scratch = ByteBuffer.allocate(4096);
            while (true) {
                scratch.clear();
                int n = ch.read(scratch);
                if (n < 0) {
                    close();
                    return;
                }
                if (n == 0) return;
            }
        }

        void ready(SelectionKey k) throws IOException {
            if (lingerUntil != 0) {
                drain();
                return;
            }
            if (k.isReadable() && !peerDone) {
                int n = ch.read(in);
                if (n < 0) peerDone = true;
            }
            pump(k);
        }

        /** Sends what is pending, then answers buffered requests, until the socket is full or input runs out. */
        private void pump(SelectionKey k) throws IOException {
            while (true) {
                if (!send()) {
                    k.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (closeAfter) {
                    linger(k);
                    return;
                }
                in.flip();
                HttpRequest req;
                try {
                    req = HttpRequest.parse(in);
                    in.compact();
                } catch (HttpRequest.BadRequest e) {
                    in.clear(); // the framing is lost: answer and close
                    respondError(400, "Bad Request", e.getMessage(), true, false);
                    continue;
                }
                if (req == null) {
                    if (peerDone) {
                        close();
                        return;
                    }
                    k.interestOps(SelectionKey.OP_READ);
                    return;
                }
                respond(req);
            }
        }

        /** Writes pending header bytes and file data; false when the socket would block. */
        private boolean send() throws IOException {
            if (out != null) {
                ch.write(out);
                if (out.hasRemaining()) return false;
                out = null;
            }
            while (file != null) {
                if (chunk == null) chunk = ByteBuffer.allocate(FILE_CHUNK).flip();
                if (!chunk.hasRemaining()) {
                    if (fileLeft == 0) {
                        file.close();
                        file = null;
                        break;
                    }
                    chunk.clear();
                    if (chunk.remaining() > fileLeft) chunk.limit((int) fileLeft);
                    int r = file.read(chunk);
                    if (r < 0) throw new IOException("file shrank while it was sent");
                    fileLeft -= r;
                    chunk.flip();
                }
                ch.write(chunk);
                if (chunk.hasRemaining()) return false;
            }
            return true;
        }

        private void respond(HttpRequest req) throws IOException {
            requests.incrementAndGet();
            boolean head = req.method().equals("HEAD");
            if (!head && !req.method().equals("GET")) {
                respondError(405, "Method Not Allowed", req.method() + " is not served", req.close() || req.hasBody(), head,
                        "Allow: GET, HEAD\r\n");
                return;
            }
            if (req.hasBody()) {
                respondError(400, "Bad Request", "a GET or HEAD with a body", true, head);
                return;
            }
            switch (root.resolve(req.target())) {
                case DocRoot.File f -> {
                    FileChannel fc = FileChannel.open(f.path(), StandardOpenOption.READ);
                    long size = fc.size();
                    String type = TYPES.getOrDefault(extension(f.path()), "application/octet-stream");
                    out = header(200, "OK", size, type, req.close(), "");
                    if (head || size == 0) {
                        fc.close();
                    } else {
                        file = fc;
                        fileLeft = size;
                    }
                    closeAfter = req.close();
                }
                case DocRoot.Directory d -> {
                    byte[] body = DocRoot.listing(d.path(), d.urlPath());
                    withBody(header(200, "OK", body.length, "text/html; charset=utf-8", req.close(), ""), head ? new byte[0] : body);
                    closeAfter = req.close();
                }
                case DocRoot.AddSlash a -> respondError(301, "Moved Permanently", "see " + a.location(), req.close(), head,
                        "Location: " + a.location() + "\r\n");
                case DocRoot.Status s -> respondError(s.code(), reason(s.code()), reason(s.code()), req.close() || s.code() == 400, head);
            }
        }

        private void respondError(int code, String reason, String text, boolean close, boolean head) {
            respondError(code, reason, text, close, head, "");
        }

        private void respondError(int code, String reason, String text, boolean close, boolean head, String extra) {
            byte[] body = (code + " " + reason + (text.equals(reason) ? "" : ": " + text) + "\n").getBytes(StandardCharsets.UTF_8);
            withBody(header(code, reason, body.length, "text/plain; charset=utf-8", close, extra), head ? new byte[0] : body);
            closeAfter = close;
        }

        private void withBody(ByteBuffer h, byte[] body) {
            ByteBuffer b = ByteBuffer.allocate(h.remaining() + body.length);
            b.put(h).put(body).flip();
            out = b;
        }

        void close() {
            if (lingerUntil != 0 && ch.isOpen()) lingering.decrementAndGet();
            try {
                if (file != null) file.close();
            } catch (IOException e) {
                // closing anyway
            }
            file = null;
            try {
                ch.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private static ByteBuffer header(int code, String reason, long length, String type, boolean close, String extra) {
        String h = "HTTP/1.1 " + code + " " + reason + "\r\n"
                + "Date: " + IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + "Server: jrump\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + extra
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        return ByteBuffer.wrap(h.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String reason(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            default -> "Error";
        };
    }
}
