package jrump.net.netinet.tcp;

import java.util.Arrays;

import jrump.net.netinet.IpAddr;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * A received TCP segment, parsed and checked (smoltcp's TcpRepr): the header fields, the options of RFC
 * 9293 3.2 / RFC 7323 / RFC 2018 (SACK blocks as left, right edge pairs; null when none), and the payload as a chain referencing the received bytes.
 */
record TcpSegment(IpAddr src, IpAddr dst, int sport, int dport, int seq, int ack, int flags, int window,
                  int mss, int wscale, boolean sackPermitted, boolean hasTimestamp, int tsVal, int tsEcr,
                  int[] sackBlocks, Mbuf data, int dataLen) {

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** SEG.LEN: the data plus one for SYN and one for FIN (RFC 9293 3.4). */
    int segLen() {
        return dataLen + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0);
    }

    /** Where parseOptions puts the number of SACK blocks and their edges. */
    static final int OPT_SACK_COUNT = 6;
    static final int OPT_SACK_EDGES = 7;

    /** The SACK blocks of parsed options as (left, right) pairs, or null. */
    static int[] sackBlocks(int[] o) {
        int n = o[OPT_SACK_COUNT];
        return n == 0 ? null : Arrays.copyOfRange(o, OPT_SACK_EDGES, OPT_SACK_EDGES + 2 * n);
    }

    /** The options of a header at {@code at} of {@code optLen} bytes; null when they are malformed. */
    static int[] parseOptions(Mbuf m, int at, int optLen) {
        // mss, wscale, sackPermitted, hasTs, tsVal, tsEcr, SACK block count, then the blocks' edges
        int[] o = new int[OPT_SACK_EDGES + 2 * TcpHeader.SACK_MAX_BLOCKS];
        o[0] = -1;
        o[1] = -1;
        int i = 0;
        while (i < optLen) {
            int kind = m.u8(at + i);
            if (kind == TcpHeader.OPT_EOL) break;
            if (kind == TcpHeader.OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= optLen) return null;
            int len = m.u8(at + i + 1);
            if (len < 2 || i + len > optLen) return null;
            switch (kind) {
                case TcpHeader.OPT_MSS -> {
                    if (len != 4) return null;
                    o[0] = m.u16(at + i + 2);
                }
                case TcpHeader.OPT_WSCALE -> {
                    if (len != 3) return null;
                    o[1] = m.u8(at + i + 2);
                }
                case TcpHeader.OPT_SACK_PERMITTED -> {
                    if (len != 2) return null;
                    o[2] = 1;
                }
                case TcpHeader.OPT_TIMESTAMP -> {
                    if (len != 10) return null;
                    o[3] = 1;
                    o[4] = m.i32(at + i + 2);
                    o[5] = m.i32(at + i + 6);
                }
                case TcpHeader.OPT_SACK -> {
                    // RFC 2018 section 3: 8*n+2 bytes for n blocks; more than fit in 40 bytes is malformed
                    int n = (len - 2) / 8;
                    if ((len - 2) % 8 != 0 || n < 1 || n > TcpHeader.SACK_MAX_BLOCKS) return null;
                    o[OPT_SACK_COUNT] = n;
                    for (int b = 0; b < 2 * n; b++) o[OPT_SACK_EDGES + b] = m.i32(at + i + 2 + 4 * b);
                }
                default -> {
                    // RFC 9293 3.2 (MUST-6): unknown options are skipped by their length
                }
            }
            i += len;
        }
        return o;
    }

    @Override
    public String toString() {
        return TcpHeader.flags(flags) + " seq=" + Integer.toUnsignedString(seq) + " ack=" + Integer.toUnsignedString(ack)
                + " win=" + window + " len=" + dataLen;
    }
}
