package jrump.rumpvfs.vnode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.kernel.Kernel;

/** The file system types a kernel knows (vfs_list), registered by components at boot. */
public final class VfsTypes {
    private static final Object KEY = new Object();

    private VfsTypes() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, VfsType> of(Kernel kernel) {
        return (Map<String, VfsType>) kernel.specific().computeIfAbsent(KEY, k -> new ConcurrentHashMap<String, VfsType>());
    }

    public static void register(Kernel kernel, VfsType type) {
        if (of(kernel).putIfAbsent(type.name(), type) != null) {
            throw new IllegalStateException("file system type " + type.name() + " registered twice");
        }
    }

    /** The type called {@code name}, or null. */
    public static VfsType find(Kernel kernel, String name) {
        return of(kernel).get(name);
    }
}
