package jrump.fs.cd9660;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jrump.rumpvfs.tool.MakefsTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpKernel;

/**
 * Interleaved files (ECMA-119 §6.4.3: file units of N blocks separated by gaps of M blocks), which no tool
 * here writes: an image from Makefs whose file record is rewritten to one-block units with one-block gaps.
 */
class Cd9660InterleaveTest {
    @TempDir
    Path tmp;

    @Test
    void interleavedFile_readsUnitByUnit() throws Exception {
        byte[] stored = new byte[6 * 2048];
        for (int b = 0; b < 6; b++) Arrays.fill(stored, b * 2048, (b + 1) * 2048, (byte) ((b & 1) == 0 ? 'A' + b / 2 : 'x'));
        MakefsTree.Attrs a = new MakefsTree.Attrs(0644, 0, 0, 0, 0, 0);
        MakefsTree.Dir root = new MakefsTree.Dir(a, List.of(Map.entry("f", new MakefsTree.File(a, stored.length, (off, dst) -> {
            if (off >= stored.length) return -1;
            int n = Math.min(dst.remaining(), stored.length - (int) off);
            dst.put(stored, (int) off, n);
            return n;
        }))));
        Path img = tmp.resolve("i.iso");
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            Makefs.build(root, new Makefs.Options(false, false, null, null, 0), (off, d) -> {
                while (d.hasRemaining()) ch.write(d, off + d.position());
            });
        }
        byte[] image = Files.readAllBytes(img);
        int rootDir = (int) IsoNumbers.n733(image, 16 * 2048 + VolumeDescriptor.ROOT_RECORD + DirRecord.EXTENT) * 2048;
        int rec = rootDir + (image[rootDir] & 0xff) + (image[rootDir + (image[rootDir] & 0xff)] & 0xff); // after "." and ".."
        assertThat(new String(image, rec + DirRecord.FILE_ID, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("F.;1");
        IsoNumbers.put733(image, rec + DirRecord.DATA_LENGTH, 3 * 2048 - 100); // three units, the last one partly
        image[rec + DirRecord.FILE_UNIT_SIZE] = 1;
        image[rec + DirRecord.INTERLEAVE_GAP] = 1;
        Files.write(img, image);
        try (RumpKernel rk = IsoMount.mount(img, null)) {
            byte[] got = Content.readAll(rk.syscalls(), "/mnt/f");
            assertThat(got).hasSize(3 * 2048 - 100);
            assertThat(got[0]).isEqualTo((byte) 'A');
            assertThat(got[2048]).isEqualTo((byte) 'B');
            assertThat(got[2 * 2048]).isEqualTo((byte) 'C');
            assertThat(new String(got, java.nio.charset.StandardCharsets.US_ASCII)).doesNotContain("x");
            assertThat(Content.sendAll(rk, "/mnt/f")).as("sendfile maps unit by unit").isEqualTo(got);
        }
    }
}
