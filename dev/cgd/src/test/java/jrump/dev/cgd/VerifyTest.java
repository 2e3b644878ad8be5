package jrump.dev.cgd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import jrump.rumpdev.DiskException;
import jrump.rumpkern.RumpKernel;

/** Each verification method accepts the right key (the decrypted disk holds its structure) and refuses a wrong one. */
class VerifyTest {
    @TempDir
    Path dir;

    /** 300 KiB of decrypted disk holding what {@code m} looks for. */
    static byte[] content(VerifyMethod m) {
        ByteBuffer b = ByteBuffer.allocate(300 << 10).order(ByteOrder.LITTLE_ENDIAN);
        switch (m) {
            case FFS -> b.putInt(8192 + Verify.FS_MAGIC_OFFSET, Verify.FS_UFS2_MAGIC);
            case MBR -> b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
            case GPT -> b.put(512, "EFI PART".getBytes());
            case DISKLABEL -> {
                int at = 512; // LABELSECTOR 1, LABELOFFSET 0 (i386, amd64)
                b.putInt(at, Verify.DISKMAGIC).putInt(at + Verify.D_MAGIC2, Verify.DISKMAGIC);
                b.putShort(at + Verify.D_NPARTITIONS, (short) 4);
                b.putInt(at + Verify.D_PARTITIONS + 16 + 4, 123); // some partition's offset
                int end = at + Verify.D_PARTITIONS + 4 * Verify.PARTITION_BYTES;
                short sum = 0;
                for (int i = at; i < end; i += 2) sum ^= b.getShort(i);
                b.putShort(at + 136, sum); // d_checksum makes the XOR zero
            }
            default -> {
            }
        }
        return b.array();
    }

    @ParameterizedTest
    @EnumSource(value = VerifyMethod.class, names = {"FFS", "MBR", "GPT", "DISKLABEL"})
    void rightKeyPasses_wrongKeyFails(VerifyMethod m) throws Exception {
        CgdParams p = CgdImages.params("aes-xts", IvMethod.ENCBLKNO1, 256, m);
        byte[] right = CgdImages.key(p, "right");
        byte[] plain = content(m);
        byte[] raw = plain.clone();
        try (SectorCipher c = SectorCipher.of(p, right)) {
            c.encrypt(0, raw, 0, raw.length);
        }
        Path image = dir.resolve("v.img");
        Files.write(image, raw);
        try (CgdLayer layer = new CgdLayer(p, right); RumpKernel rk = CgdImages.boot(image, layer, true)) {
            assertThat(layer.device()).isNotNull();
        }
        CgdLayer wrong = new CgdLayer(p, CgdImages.key(p, "wrong"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CgdImages.boot(image, wrong, true)).isInstanceOf(DiskException.class)
                .hasMessageContaining("verify_method " + m.keyword());
        // the right key on a disk without the structure fails too: the check reads the content
        byte[] empty = new byte[plain.length];
        try (SectorCipher c = SectorCipher.of(p, right)) {
            c.encrypt(0, empty, 0, empty.length);
        }
        Files.write(image, empty);
        CgdLayer again = new CgdLayer(p, right);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CgdImages.boot(image, again, true)).isInstanceOf(DiskException.class);
    }
}
