package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SACK on the wire as Wireshark reads it (a dissector nobody here wrote): a lossy netsim transfer is captured
 * to pcap and tshark must find SACK-permitted on both SYNs, SACK blocks beside timestamps in the 40 bytes of
 * option space, every block above the ACK it rides on, and nothing malformed. tshark is required (in
 * scripts/apt-packages.txt); without it this test fails rather than skips.
 */
class TcpSackWiresharkTest {
    @TempDir
    Path dir;

    @Test
    void lossyTransfer_sackOptionsAreWellFormed_asTsharkReadsThem() throws Exception {
        SimNet net = new SimNet(4242);
        net.capture = true;
        NetsimTest.transfer(net, 4242, 0.05, 256 * 1024, 64 * 1024, "newreno", true);
        Path pcap = dir.resolve("sack.pcap");
        Files.write(pcap, pcap(net.captured));

        assertThat(tshark(pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error")).as("malformed or erroneous frames").isEmpty();
        // the lossy link may lose or duplicate a SYN or SYN,ACK: each copy must carry the option
        assertThat(tshark(pcap, "-Y", "tcp.flags.syn == 1 && tcp.options.sack_perm", "-T", "fields", "-e", "tcp.flags.ack"))
                .as("SACK-permitted on the SYN and on the SYN,ACK (RFC 2018 section 2)").startsWith("0").contains("1").containsOnly("0", "1");
        assertThat(tshark(pcap, "-Y", "tcp.flags.syn == 1 && !tcp.options.sack_perm")).as("a SYN without SACK-permitted").isEmpty();
        List<String> acks = tshark(pcap, "-o", "tcp.relative_sequence_numbers:FALSE", "-Y", "tcp.options.sack", "-T", "fields",
                "-e", "ip.src", "-e", "tcp.ack", "-e", "tcp.options.sack.count", "-e", "tcp.options.sack_le", "-e", "tcp.options.sack_re",
                "-e", "tcp.options.timestamp.tsval", "-e", "tcp.hdr_len");
        assertThat(acks).as("ACKs with SACK blocks at 5% loss").hasSizeGreaterThan(10);
        System.out.println("tshark: " + acks.size() + " ACKs with SACK blocks, first: " + acks.getFirst());
        for (String line : acks) {
            String[] f = line.split("\t", -1);
            assertThat(f[0]).as("only the receiver sends blocks").isEqualTo("10.0.0.2");
            long ack = Long.parseLong(f[1]);
            int count = Integer.parseInt(f[2]);
            String[] le = f[3].split(",");
            String[] re = f[4].split(",");
            assertThat(count).as(line).isBetween(1, 3).isEqualTo(le.length).isEqualTo(re.length);
            assertThat(f[5]).as("a timestamp beside the blocks: " + line).isNotEmpty();
            assertThat(Integer.parseInt(f[6])).as("header length: " + line).isLessThanOrEqualTo(60);
            for (int i = 0; i < count; i++) {
                int l = (int) Long.parseLong(le[i]);
                int r = (int) Long.parseLong(re[i]);
                assertThat(l - (int) ack).as("block above the ACK: " + line).isPositive();
                assertThat(r - l).as("block not empty: " + line).isPositive();
            }
        }
    }

    static List<String> tshark(Path pcap, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("tshark " + cmd + ": " + out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** libpcap's savefile format with Ethernet frames. */
    static byte[] pcap(List<SimNet.Frame> frames) {
        int n = 24;
        for (SimNet.Frame f : frames) n += 16 + f.bytes().length;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (SimNet.Frame f : frames) {
            b.putInt((int) (f.at() / 1_000_000_000L)).putInt((int) (f.at() % 1_000_000_000L / 1000))
                    .putInt(f.bytes().length).putInt(f.bytes().length).put(f.bytes());
        }
        return b.array();
    }
}
