package jrump.netchan.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small HTTP/1.1 client (RFC 9112) on any SelectorProvider's channels: one GET, the body streamed to an
 * OutputStream. java.net.http.HttpClient cannot take a provider, hence this. Bodies framed by
 * Content-Length, chunked transfer coding or the end of the connection (RFC 9112 section 6.3); redirects
 * are not followed. The host must be an address literal, IPv4 or IPv6 in brackets ({@code http://[fd00::1]:8080/},
 * RFC 3986 3.2.2): a kernel has no resolver. An IPv6 host is reached over a PF_INET6 channel.
 */
public final class HttpFetch {
    /** The server answered with a status other than 200. */
    public static final class StatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StatusException(int status, String reason) {
            super("HTTP " + status + " " + reason);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final SelectorProvider provider;
    private final long idleMillis;

    /** A client whose reads give up after {@code idleMillis} without a byte. */
    public HttpFetch(SelectorProvider provider, long idleMillis) {
        this.provider = provider;
        this.idleMillis = idleMillis;
    }

    /** GETs {@code url} and writes its body to {@code out}; returns the body's length. */
    public long get(URI url, OutputStream out) throws IOException {
        if (!"http".equalsIgnoreCase(url.getScheme())) throw new IOException("only http:// URLs: " + url);
        String host = url.getHost();
        if (host == null) throw new IOException("no host in " + url);
        InetAddress addr = literal(host);
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
        try (SocketChannel ch = addr instanceof Inet6Address
                ? provider.openSocketChannel(StandardProtocolFamily.INET6) : provider.openSocketChannel();
             Selector sel = provider.openSelector()) {
            ch.configureBlocking(false);
            SelectionKey key = ch.register(sel, SelectionKey.OP_CONNECT);
            if (!ch.connect(new InetSocketAddress(addr, port))) {
                await(sel, key, SelectionKey.OP_CONNECT, "connect");
                ch.finishConnect();
            }
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + (url.getPort() < 0 ? "" : ":" + port)
                    + "\r\nUser-Agent: jrump-fetch\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            ByteBuffer rb = ByteBuffer.wrap(req.getBytes(StandardCharsets.ISO_8859_1));
            while (rb.hasRemaining()) {
                if (ch.write(rb) == 0) await(sel, key, SelectionKey.OP_WRITE, "send");
            }
            Reader r = new Reader(ch, sel, key);
            String status = r.line();
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x response: " + status);
            int code;
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + status);
            }
            long length = -1;
            boolean chunked = false;
            for (String l = r.line(); !l.isEmpty(); l = r.line()) {
                int colon = l.indexOf(':');
                if (colon <= 0) throw new IOException("bad header field: " + l);
                String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = l.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + value);
                    }
                    if (length < 0) throw new IOException("bad Content-Length: " + value);
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
            }
            if (code / 100 == 1) throw new IOException("interim response " + code + " not expected");
            if (code != 200) throw new StatusException(code, parts.length > 2 ? parts[2] : "");
            if (chunked) {
                long total = 0;
                while (true) {
                    String size = r.line();
                    int semi = size.indexOf(';');
                    long n;
                    try {
                        n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad chunk size: " + size);
                    }
                    if (n == 0) break;
                    r.copy(out, n);
                    total += n;
                    if (!r.line().isEmpty()) throw new IOException("bad chunk end");
                }
                return total;
            }
            if (length >= 0) {
                r.copy(out, length);
                return length;
            }
            return r.copyToEnd(out);
        }
    }

    private static InetAddress literal(String host) throws IOException {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.matches("\\[[0-9A-Fa-f:.]+\\]")) {
            throw new IOException("give the host as an IPv4 address or an IPv6 one in brackets (the kernel has no resolver): " + host);
        }
        return InetAddress.getByName(host); // a literal: no lookup
    }

    private void await(Selector sel, SelectionKey key, int op, String what) throws IOException {
        key.interestOps(op);
        sel.selectedKeys().clear();
        if (sel.select(idleMillis) == 0) throw new IOException(what + ": timed out after " + idleMillis + " ms");
    }

    /** Buffered reading of lines and counted bytes off the channel, waiting on the selector. */
    private final class Reader {
        private final SocketChannel ch;
        private final Selector sel;
        private final SelectionKey key;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();

        Reader(SocketChannel ch, Selector sel, SelectionKey key) {
            this.ch = ch;
            this.sel = sel;
            this.key = key;
        }

        /** Reads more; false at the end of the stream. */
        private boolean fill() throws IOException {
            buf.compact();
            try {
                while (true) {
                    int n = ch.read(buf);
                    if (n < 0) return false;
                    if (n > 0) return true;
                    await(sel, key, SelectionKey.OP_READ, "receive");
                }
            } finally {
                buf.flip();
            }
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                while (buf.hasRemaining()) {
                    char c = (char) (buf.get() & 0xff);
                    if (c == '\n') {
                        int n = sb.length();
                        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                    }
                    if (sb.length() >= 8192) throw new IOException("response line too long");
                    sb.append(c);
                }
                if (!fill()) throw new IOException("connection closed in the response head");
            }
        }

        void copy(OutputStream out, long n) throws IOException {
            long left = n;
            while (left > 0) {
                if (!buf.hasRemaining() && !fill()) throw new IOException("connection closed after " + (n - left) + " of " + n + " bytes");
                int k = (int) Math.min(left, buf.remaining());
                out.write(buf.array(), buf.arrayOffset() + buf.position(), k);
                buf.position(buf.position() + k);
                left -= k;
            }
        }

        long copyToEnd(OutputStream out) throws IOException {
            long total = 0;
            do {
                int k = buf.remaining();
                out.write(buf.array(), buf.arrayOffset() + buf.position(), k);
                buf.position(buf.limit());
                total += k;
            } while (fill());
            return total;
        }
    }
}
