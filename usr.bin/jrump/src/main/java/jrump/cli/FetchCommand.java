package jrump.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import jrump.netchan.KernelChannels;
import jrump.netchan.http.HttpFetch;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump fetch}: boots a kernel, joins the network and downloads a URL over HTTP/1.1 through the kernel's TCP. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Boot a rump kernel on a network and download URL to OUTFILE over HTTP/1.1 through the kernel's stack "
                + "(exit 0 when downloaded, 1 on an HTTP error or a bad argument, 2 when the server could not be reached).")
final class FetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetOptions net;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after SECONDS without progress (default: ${DEFAULT-VALUE})",
            defaultValue = "30")
    double timeout;

    @Parameters(index = "0", paramLabel = "URL", description = "http://ADDR[:PORT]/PATH, ADDR an IPv4 address or an IPv6 one in brackets (http://[fd00::1]/f): the kernel has no resolver")
    String url;

    @Parameters(index = "1", paramLabel = "OUTFILE", description = "where the body goes (written only when complete; - for stdout)")
    String outfile;

    @Override
    public Integer call() throws IOException {
        if (timeout <= 0) throw new CliException("bad --timeout: " + timeout);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new CliException("bad URL: " + url);
        }
        PrintWriter err = spec.commandLine().getErr();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            net.configure(rk);
            HttpFetch client = new HttpFetch(KernelChannels.provider(rk), (long) (timeout * 1000));
            if (outfile.equals("-")) {
                OutputStream out = System.out;
                client.get(uri, out);
                out.flush();
                return 0;
            }
            Path target = Path.of(outfile).toAbsolutePath();
            // a partial download never replaces or leaves a file: write beside it, then rename
            Path part = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
            try {
                try (OutputStream out = Files.newOutputStream(part)) {
                    client.get(uri, out);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return 0;
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (HttpFetch.StatusException e) {
            err.println("jrump fetch: " + url + ": " + e.getMessage());
            return 1;
        } catch (ConnectException | NoRouteToHostException e) {
            err.println("jrump fetch: " + url + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            boolean unreachable = e.getMessage() != null && e.getMessage().contains("timed out");
            err.println("jrump fetch: " + url + ": " + e.getMessage());
            return unreachable ? 2 : 1;
        }
    }
}
