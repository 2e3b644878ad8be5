package jrump.nio;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The behaviour suite on the JDK's own provider and a host directory: the reference every image must match. */
class HostReferenceTest extends FileSystemBehaviour {
    @TempDir
    Path tmp;

    @Override
    Path dir() {
        return tmp;
    }
}
