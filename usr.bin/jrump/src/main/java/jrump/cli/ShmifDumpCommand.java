package jrump.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.net.shmif.Pcap;
import jrump.net.shmif.ShmifBus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump shmif-dump BUSFILE OUT.pcap}: the frames still on a shmif bus as a pcap file (shmif_dumpbus). */
@Command(name = "shmif-dump", mixinStandardHelpOptions = true,
        description = "Write the frames on a shmif bus file as a pcap file (for tcpdump, tshark, wireshark).")
final class ShmifDumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUSFILE")
    Path bus;

    @Parameters(index = "1", paramLabel = "OUT.pcap")
    Path out;

    @Override
    public Integer call() {
        byte[] image;
        try {
            image = Files.readAllBytes(bus);
        } catch (IOException e) {
            throw new CliException(bus + ": " + e.getMessage());
        }
        ByteBuffer mem = ByteBuffer.wrap(image);
        if (!ShmifBus.isBus(mem)) throw new CliException(bus + ": not a shmif bus");
        List<ShmifBus.Frame> frames = ShmifBus.readOnly(mem).frames();
        try {
            Files.write(out, Pcap.of(frames));
        } catch (IOException e) {
            throw new CliException(out + ": " + e.getMessage());
        }
        spec.commandLine().getOut().printf("%s: %d frames written to %s%n", bus, frames.size(), out);
        return 0;
    }
}
