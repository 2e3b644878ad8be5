package jrump.net.shmif;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** The classic pcap file format (libpcap's savefile: a global header, then a record per packet). */
public final class Pcap {
    private Pcap() {
    }

    public static final int MAGIC = 0xa1b2c3d4;
    /** LINKTYPE_ETHERNET. */
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int SNAPLEN = 65535;

    /** The frames as a pcap file. */
    public static byte[] of(List<ShmifBus.Frame> frames) {
        int n = 24;
        for (ShmifBus.Frame f : frames) n += 16 + f.data().length;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
        for (ShmifBus.Frame f : frames) {
            b.putInt((int) f.sec()).putInt(f.usec()).putInt(f.data().length).putInt(f.data().length).put(f.data());
        }
        return b.array();
    }
}
