package jrump.cli;

import java.nio.file.Path;

/**
 * An argument naming a path inside an image, {@code IMAGE:PATH} with an absolute PATH (fs-utils' and
 * mtools' convention), or a host path when it has no ":/".
 */
record ImagePath(Path image, String path) {
    /** {@code IMAGE:/PATH} parsed, or null for a host path; {@code IMAGE} alone when {@code imageAlone}, meaning "/". */
    static ImagePath parse(String arg, boolean imageAlone) {
        int at = arg.indexOf(":/");
        if (at > 0) {
            String inner = arg.substring(at + 1);
            while (inner.length() > 1 && inner.endsWith("/")) inner = inner.substring(0, inner.length() - 1);
            return new ImagePath(Path.of(arg.substring(0, at)), inner);
        }
        return imageAlone ? new ImagePath(Path.of(arg), "/") : null;
    }

    /** The same image, the child {@code name} of this path. */
    ImagePath child(String name) {
        return new ImagePath(image, path.equals("/") ? "/" + name : path + "/" + name);
    }

    String name() {
        int slash = path.lastIndexOf('/');
        return path.substring(slash + 1);
    }

    @Override
    public String toString() {
        return image + ":" + path;
    }
}
