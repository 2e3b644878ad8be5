package jrump.rumpuser;

/** rumpuser_rw: a host reader/writer lock; waiting gives up the virtual CPU. */
public interface HostRwLock {
    void enter(boolean writer);

    boolean tryEnter(boolean writer);

    /** Upgrades a read hold to a write hold if no other reader holds it. */
    boolean tryUpgrade();

    void downgrade();

    void exit();

    /** rumpuser_rw_held: whether the calling thread holds it in that mode. */
    boolean held(boolean writer);
}
