package jrump.net.virtif;

/**
 * What a virtif interface is attached to, from the link string of {@code netifCreate("virt0", LINK)}:
 * {@code tap:TAPNAME[,mtu=N][,loss=P][,dup=P][,reorder=P][,seed=N]}. {@code mtu} is the interface's MTU (1500
 * by default; give the tap's Linux side the same with {@code ip link set TAP mtu N}). The other options
 * inject faults in both directions
 * (tc netem's loss, duplicate and reorder, done inside the kernel): P is a probability from 0 to 1 per
 * frame, N the seed of the generator (the same seed gives the same decisions for the same frames).
 *
 * @param tap     the host tap device's name
 * @param mtu     the interface's MTU: 576 to 65521 (Linux's largest for a tap)
 * @param loss    probability that a frame is dropped
 * @param dup     probability that a frame is sent or received twice
 * @param reorder probability that a frame is held back and passed after the next one
 * @param seed    the fault generator's seed
 */
public record VirtifSpec(String tap, int mtu, double loss, double dup, double reorder, long seed) {
    /** RFC 894's Ethernet MTU. */
    public static final int DEFAULT_MTU = 1500;
    /** RFC 791: every host must take 576-byte datagrams; Linux's tap driver tops out at 65521. */
    public static final int MIN_MTU = 576;
    public static final int MAX_MTU = 65521;

    public VirtifSpec {
        if (mtu < MIN_MTU || mtu > MAX_MTU) throw new IllegalArgumentException("mtu must be " + MIN_MTU + " to " + MAX_MTU + ", not " + mtu);
        check("loss", loss);
        check("dup", dup);
        check("reorder", reorder);
    }

    private static void check(String what, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(what + " must be a probability from 0 to 1, not " + p);
    }

    /** Whether any fault is injected. */
    public boolean faulty() {
        return loss > 0 || dup > 0 || reorder > 0;
    }

    /** Parses a link string; IllegalArgumentException with the reason for a bad one. */
    public static VirtifSpec parse(String link) {
        if (link == null || !link.startsWith("tap:")) {
            throw new IllegalArgumentException("a virtif link is tap:TAPNAME[,mtu=N,loss=P,dup=P,reorder=P,seed=N], not " + link);
        }
        String[] parts = link.substring(4).split(",", -1);
        String tap = parts[0];
        if (tap.isEmpty()) throw new IllegalArgumentException("no tap name in " + link);
        int mtu = DEFAULT_MTU;
        double loss = 0;
        double dup = 0;
        double reorder = 0;
        long seed = 1;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("option " + parts[i] + " of " + link + " is not NAME=VALUE");
            String k = parts[i].substring(0, eq);
            String v = parts[i].substring(eq + 1);
            try {
                switch (k) {
                    case "mtu" -> mtu = Integer.parseInt(v);
                    case "loss" -> loss = Double.parseDouble(v);
                    case "dup" -> dup = Double.parseDouble(v);
                    case "reorder" -> reorder = Double.parseDouble(v);
                    case "seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + k + " (mtu, loss, dup, reorder, seed)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number in " + parts[i]);
            }
        }
        return new VirtifSpec(tap, mtu, loss, dup, reorder, seed);
    }
}
