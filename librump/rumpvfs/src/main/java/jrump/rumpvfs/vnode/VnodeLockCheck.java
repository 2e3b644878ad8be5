package jrump.rumpvfs.vnode;

/** The lock assertions of the generated VOP wrappers (vnode_if.c's VNODE_LOCKDEBUG checks). */
final class VnodeLockCheck {
    private VnodeLockCheck() {
    }

    /**
     * Checks vnode argument {@code index} of {@code desc}: on entry, or on return with {@code error};
     * {@code all} holds every vnode argument's value. A violation is a kernel panic.
     */
    static void check(VopDesc desc, int index, boolean onReturn, int error, Vnode... all) {
        Vnode vp = all[index];
        for (int j = 0; j < all.length; j++) {
            if (j != index && all[j] == vp && vp != null) return; // the same vnode in two positions
        }
        VopDesc.VnodeArg arg = desc.vnodeArgs().get(index);
        char want = !onReturn ? arg.entry() : error == 0 ? arg.exit() : arg.error();
        switch (want) {
            case 'L' -> {
                if (vp == null || !vp.lockHeldByMe()) fail(desc, arg, vp, "locked", onReturn, error);
            }
            case 'X' -> {
                if (vp != null && !vp.lockHeldByMe()) fail(desc, arg, vp, "locked (or null)", onReturn, error);
            }
            case 'U' -> {
                if (vp != null && vp.lockHeldByMe()) fail(desc, arg, vp, "unlocked", onReturn, error);
            }
            default -> {
                // '=' and '-': not checked
            }
        }
    }

    private static void fail(VopDesc desc, VopDesc.VnodeArg arg, Vnode vp, String state, boolean onReturn, int error) {
        String when = onReturn ? "on return (error " + error + ")" : "on entry";
        String msg = "VOP_" + desc.name().toUpperCase(java.util.Locale.ROOT) + ": " + arg.name() + " " + vp + " must be "
                + state + " " + when;
        if (vp != null) throw vp.kernel().panic(msg);
        throw new jrump.rumpkern.KernelPanic(msg);
    }
}
