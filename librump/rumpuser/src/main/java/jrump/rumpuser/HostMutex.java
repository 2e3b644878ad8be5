package jrump.rumpuser;

/** rumpuser_mutex: a host mutex. {@link #enter()} gives up the virtual CPU while it waits (not for spin mutexes). */
public interface HostMutex {
    void enter();

    /** Enters without giving up the virtual CPU (mutex_enter_nowrap). */
    void enterNowrap();

    boolean tryEnter();

    void exit();

    /** Whether the calling thread holds it. */
    boolean heldByCurrentThread();
}
