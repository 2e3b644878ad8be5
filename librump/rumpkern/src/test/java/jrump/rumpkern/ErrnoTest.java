package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostSocketErrno;

class ErrnoTest {

    @Test
    void hostErrnoConstants_matchTheKernelsNumbers() throws Exception {
        int checked = 0;
        for (Field f : HostErrno.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            assertThat(Errno.valueOf(f.getName()).number()).as(f.getName()).isEqualTo(f.getInt(null));
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void hostSocketErrnoConstants_matchTheKernelsNumbers() throws Exception {
        int checked = 0;
        for (Field f : HostSocketErrno.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            assertThat(Errno.valueOf(f.getName()).number()).as(f.getName()).isEqualTo(f.getInt(null));
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void numbersAreNetBsds() {
        assertThat(Errno.ENOSYS.number()).isEqualTo(78);
        assertThat(Errno.EAGAIN.number()).isEqualTo(35);
        assertThat(Errno.of(35)).isEqualTo(Errno.EAGAIN);
        assertThat(Errno.ENOATTR.number()).isEqualTo(93);
        assertThat(Errno.of(0)).isEqualTo(Errno.EIO);
        assertThat(Errno.of(9999)).isEqualTo(Errno.EIO);
        assertThat(Errno.isDefined(96)).isTrue();
        assertThat(Errno.isDefined(0)).isFalse();
    }

    @Test
    void numbersAreDenseAndUnique() {
        Errno[] all = Errno.values();
        for (int i = 0; i < all.length; i++) assertThat(all[i].number()).isEqualTo(i + 1);
    }

    @Test
    void errnoOf_reportsTheFailureOrNull() {
        assertThat(RumpException.errnoOf(() -> {
            throw new RumpException(Errno.EROFS, "write");
        })).isEqualTo(Errno.EROFS);
        assertThat(RumpException.errnoOf(() -> { })).isNull();
    }

    @Test
    void exceptionMessageNamesTheCallAndTheError() {
        RumpException e = new RumpException(Errno.ENOENT, "open");
        assertThat(e.getMessage()).isEqualTo("open: No such file or directory (ENOENT)");
    }
}
