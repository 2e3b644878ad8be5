package jrump.netchan.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A request target to a file under the served directory, never outside it: the path is percent-decoded
 * (RFC 3986 2.1, UTF-8), dot segments and NUL refused, and the file's real path (symbolic links resolved)
 * must still be under the directory's real path.
 */
final class DocRoot {
    /** What a target names. */
    sealed interface Found {
    }

    record File(Path path) implements Found {
    }

    record Directory(Path path, String urlPath) implements Found {
    }

    /** A directory asked for without its trailing slash: redirect so that relative links work. */
    record AddSlash(String location) implements Found {
    }

    record Status(int code) implements Found {
    }

    private final Path root;

    DocRoot(Path dir) throws IOException {
        this.root = dir.toRealPath();
        if (!Files.isDirectory(root)) throw new IOException(dir + ": not a directory");
    }

    Found resolve(String target) {
        int q = target.indexOf('?');
        String raw = q >= 0 ? target.substring(0, q) : target;
        int frag = raw.indexOf('#');
        if (frag >= 0) raw = raw.substring(0, frag);
        if (!raw.startsWith("/")) return new Status(400);
        String path;
        try {
            path = percentDecode(raw);
        } catch (IllegalArgumentException e) {
            return new Status(400);
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) return new Status(400);
        Path p = root;
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) return new Status(403);
            p = p.resolve(seg);
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) return new Status(404);
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return new Status(404); // a dangling link
        }
        if (!real.startsWith(root)) return new Status(403);
        if (Files.isDirectory(real)) {
            if (!raw.endsWith("/")) return new AddSlash(raw + "/" + (q >= 0 ? target.substring(q) : ""));
            Path index = real.resolve("index.html");
            if (Files.isRegularFile(index)) {
                try {
                    if (index.toRealPath().startsWith(root)) return readable(index.toRealPath());
                } catch (IOException e) {
                    return new Status(403);
                }
                return new Status(403);
            }
            return Files.isReadable(real) ? new Directory(real, path.endsWith("/") ? path : path + "/") : new Status(403);
        }
        if (!Files.isRegularFile(real)) return new Status(403);
        return readable(real);
    }

    private static Found readable(Path f) {
        return Files.isReadable(f) ? new File(f) : new Status(403);
    }

    /** RFC 3986 2.1 percent-decoding of a path as UTF-8; malformed escapes or bytes are an error. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new IllegalArgumentException("truncated escape");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("bad escape");
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 128) {
                out[n++] = (byte) c;
            } else {
                throw new IllegalArgumentException("non-ASCII in target");
            }
        }
        var dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
    }

    /** An HTML listing of a directory, names escaped and links percent-encoded. */
    static byte[] listing(Path dir, String urlPath) throws IOException {
        StringBuilder sb = new StringBuilder();
        String title = "Index of " + html(urlPath);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title).append("</title></head><body>\n<h1>")
                .append(title).append("</h1>\n<ul>\n");
        if (!urlPath.equals("/")) sb.append("<li><a href=\"../\">../</a></li>\n");
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "");
                sb.append("<li><a href=\"").append(percentEncode(name)).append("\">").append(html(name)).append("</a></li>\n");
            }
        }
        sb.append("</ul>\n</body></html>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return sb.toString();
    }
}
