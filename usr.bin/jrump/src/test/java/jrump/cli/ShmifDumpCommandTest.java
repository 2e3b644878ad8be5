package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.net.shmif.ShmifBus;

/** {@code jrump shmif-dump}: a bus file becomes a pcap file tshark reads. */
class ShmifDumpCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** An ARP request for {@code target} from 02:00:00:00:00:0N (a well-formed frame for tshark). */
    private static byte[] arp(int n, int target) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, (byte) n}).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(new byte[] {2, 0, 0, 0, 0, (byte) n}).putInt(0x0a000000 | n).put(new byte[6]).putInt(target);
        return b.array();
    }

    @Test
    void dump_writesEveryFrame_andTsharkReadsThem(@TempDir Path dir) throws Exception {
        Path bus = dir.resolve("bus");
        try (FileChannel ch = FileChannel.open(bus, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ShmifBus b = new ShmifBus(ch.map(FileChannel.MapMode.READ_WRITE, 0, ShmifBus.DEFAULT_SIZE), System::currentTimeMillis, n -> { });
            for (int i = 1; i <= 5; i++) b.write(i, arp(i, 0x0a000063), 60);
        }
        Path pcap = dir.resolve("out.pcap");
        assertThat(run("shmif-dump", bus.toString(), pcap.toString())).isZero();
        assertThat(out.toString()).contains("5 frames");
        String lines = HostTools.tool("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "arp.dst.proto_ipv4");
        assertThat(lines.lines().filter(l -> l.equals("10.0.0.99")).count()).isEqualTo(5);
    }

    @Test
    void notABus_isAOneLineError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("junk");
        Files.write(f, new byte[4096]);
        assertThat(run("shmif-dump", f.toString(), dir.resolve("o.pcap").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("not a shmif bus").doesNotContain("Exception");
        assertThat(run("shmif-dump", dir.resolve("missing").toString(), dir.resolve("o.pcap").toString())).isEqualTo(1);
    }
}
