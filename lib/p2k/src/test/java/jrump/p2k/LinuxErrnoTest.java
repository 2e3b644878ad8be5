package jrump.p2k;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;

/**
 * Every NetBSD errno the rump kernel can return becomes the Linux errno of the same name, as Linux's own
 * headers (asm-generic/errno-base.h and errno.h, from linux-libc-dev) define it; the NetBSD-only ones get a
 * Linux value that exists.
 */
class LinuxErrnoTest {
    private static Map<String, Integer> linuxHeaders() throws Exception {
        Map<String, Integer> m = new HashMap<>();
        Pattern def = Pattern.compile("^#define\\s+(E[A-Z0-9]+)\\s+(\\d+)", Pattern.MULTILINE);
        for (String h : new String[] {"/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"}) {
            Matcher x = def.matcher(Files.readString(Path.of(h)));
            while (x.find()) m.put(x.group(1), Integer.parseInt(x.group(2)));
        }
        return m;
    }

    @Test
    void sameNameSameMeaning() throws Exception {
        Map<String, Integer> linux = linuxHeaders();
        assertThat(linux).containsEntry("ENOTEMPTY", 39).hasSizeGreaterThan(100);
        int matched = 0;
        for (Errno e : Errno.values()) {
            Integer l = linux.get(e.name());
            if (l != null) {
                assertThat(LinuxErrno.of(e)).as(e.name()).isEqualTo(l);
                matched++;
            } else {
                assertThat(linux.values()).as(e.name() + " maps to a Linux errno").contains(LinuxErrno.of(e));
            }
        }
        assertThat(matched).isGreaterThan(80);
        // the ones without a Linux namesake, by meaning
        assertThat(LinuxErrno.of(Errno.ENOATTR)).isEqualTo(linux.get("ENODATA"));
        assertThat(LinuxErrno.of(Errno.ENOTSUP)).isEqualTo(linux.get("EOPNOTSUPP"));
        assertThat(LinuxErrno.of(Errno.EFTYPE)).isEqualTo(linux.get("ELOOP"));
    }
}
