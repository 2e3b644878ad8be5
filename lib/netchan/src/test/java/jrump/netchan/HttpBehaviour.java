package jrump.netchan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jrump.netchan.http.HttpFetch;
import jrump.netchan.http.HttpFileServer;

/** HttpFileServer and HttpFetch on a provider: the same cases on the host's stack and on a kernel's. */
@Timeout(60)
abstract class HttpBehaviour {
    abstract SelectorProvider serverSide();

    abstract SelectorProvider clientSide();

    abstract InetAddress serverAddress();

    @TempDir
    Path tmp;
    Path docs;
    byte[] big;
    HttpFileServer server;
    URI base;

    @BeforeEach
    void serve() throws Exception {
        docs = Files.createDirectories(tmp.resolve("docs"));
        big = new byte[3 << 20];
        new SplittableRandom(42).nextBytes(big);
        Files.write(docs.resolve("big.bin"), big);
        Files.writeString(docs.resolve("hello.txt"), "hello, world\n");
        Files.createDirectories(docs.resolve("with index"));
        Files.writeString(docs.resolve("with index/index.html"), "<p>index</p>\n");
        Files.createDirectories(docs.resolve("list"));
        Files.writeString(docs.resolve("list/a<b>.txt"), "x");
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(docs.resolve("out"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(docs.resolve("in"), docs.resolve("hello.txt"));
        server = HttpFileServer.start(serverSide(), new InetSocketAddress(serverAddress(), 0), docs);
        String host = serverAddress() instanceof java.net.Inet6Address ? "[" + serverAddress().getHostAddress() + "]" : serverAddress().getHostAddress();
        base = URI.create("http://" + host + ":" + server.address().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    byte[] fetch(String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HttpFetch(clientSide(), 20_000).get(base.resolve(path), out);
        return out.toByteArray();
    }

    /** Sends raw bytes and reads until the server closes (or {@code expect} responses came). */
    String raw(String request, int expectResponses) throws IOException {
        try (SocketChannel c = serverAddress() instanceof java.net.Inet6Address
                ? clientSide().openSocketChannel(java.net.StandardProtocolFamily.INET6) : clientSide().openSocketChannel()) {
            c.connect(new InetSocketAddress(serverAddress(), server.address().getPort()));
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(65536);
            while (countStatusLines(got.toString(StandardCharsets.ISO_8859_1)) < expectResponses || expectResponses == 0) {
                b.clear();
                if (c.read(b) < 0) break;
                got.write(b.array(), 0, b.position());
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static int countStatusLines(String s) {
        int n = 0;
        for (int i = s.indexOf("HTTP/1.1 "); i >= 0; i = s.indexOf("HTTP/1.1 ", i + 1)) n++;
        return n;
    }

    @Test
    void get_aThreeMebibyteFile_byteIdentical() throws Exception {
        assertThat(fetch("/big.bin")).isEqualTo(big);
        assertThat(new String(fetch("/hello.txt"))).isEqualTo("hello, world\n");
        assertThat(new String(fetch("/in"))).isEqualTo("hello, world\n"); // a link inside is followed
    }

    @Test
    void head_hasTheLengthAndNoBody() throws Exception {
        String r = raw("HEAD /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0);
        assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + big.length + "\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void keepAlive_pipelinedRequestsOnOneConnection() throws Exception {
        String r = raw("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0);
        assertThat(countStatusLines(r)).isEqualTo(3);
        assertThat(r.split("hello, world\n", -1)).hasSize(3);
        assertThat(r).contains("HTTP/1.1 404 Not Found");
    }

    @Test
    void errors_404_403_405_400_andNoEscape() throws Exception {
        assertThatThrownBy(() -> fetch("/nothing")).isInstanceOfSatisfying(HttpFetch.StatusException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThat(raw("GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 403 ");
        assertThat(raw("GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 403 ");
        assertThat(raw("GET /list/..%2f..%2fsecret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 403 ");
        assertThat(raw("GET /out HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 403 ")
                .doesNotContain("outside");
        assertThat(raw("GET /hello.txt%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 400 ");
        assertThat(raw("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0))
                .startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD\r\n");
        assertThat(raw("garbage\r\n\r\n", 0)).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET / HTTP/1.1\r\n\r\n", 0)).startsWith("HTTP/1.1 400 "); // no Host (RFC 9112 3.2)
        assertThat(raw("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 0)).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 0)).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void directories_indexHtml_listing_andTheSlashRedirect() throws Exception {
        assertThat(new String(fetch("/with%20index/"))).isEqualTo("<p>index</p>\n");
        String listing = new String(fetch("/list/"), StandardCharsets.UTF_8);
        assertThat(listing).contains("Index of /list/").contains("href=\"a%3Cb%3E.txt\"").contains("a&lt;b&gt;.txt");
        assertThat(raw("GET /list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)).startsWith("HTTP/1.1 301 ")
                .contains("Location: /list/\r\n");
        assertThat(new String(fetch("/"))).contains("big.bin").contains("hello.txt");
    }

    @Test
    void manyConnectionsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<byte[]>> all = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String path = i % 8 == 0 ? "/big.bin" : "/hello.txt";
                all.add(pool.submit(() -> fetch(path)));
            }
            for (int i = 0; i < all.size(); i++) {
                byte[] got = all.get(i).get(50, TimeUnit.SECONDS);
                if (i % 8 == 0) assertThat(got).isEqualTo(big);
                else assertThat(new String(got)).isEqualTo("hello, world\n");
            }
            assertThat(server.requests()).isGreaterThanOrEqualTo(48);
        } finally {
            pool.shutdownNow();
        }
    }
}
