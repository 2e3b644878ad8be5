package jrump.rumpnet.socket;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpkern.kernel.Sysent;
import jrump.rumpkern.kernel.SyscallTable;

/** The socket system calls of rumpnet (NetBSD's generated rumpnet syscall stubs). */
public final class SockSysComponent implements RumpComponent {
    public static final String NAME = "rumpnet_sys";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentType type() {
        return ComponentType.SYSCALL;
    }

    @Override
    public int init(Kernel kernel) {
        Sockets sockets = Sockets.of(kernel);
        if (sockets == null) return Errno.ENXIO.number();
        SocketCalls c = new SocketCalls(sockets);
        Sysent s = kernel.sysent();
        s.establish(SyscallTable.SOCKET, c::socket, NAME);
        s.establish(SyscallTable.SOCKETPAIR, c::socketpair, NAME);
        s.establish(SyscallTable.BIND, c::bind, NAME);
        s.establish(SyscallTable.LISTEN, c::listen, NAME);
        s.establish(SyscallTable.ACCEPT, c::accept, NAME);
        s.establish(SyscallTable.PACCEPT, c::paccept, NAME);
        s.establish(SyscallTable.CONNECT, c::connect, NAME);
        s.establish(SyscallTable.SENDTO, c::sendto, NAME);
        s.establish(SyscallTable.SENDMSG, c::sendmsg, NAME);
        s.establish(SyscallTable.RECVFROM, c::recvfrom, NAME);
        s.establish(SyscallTable.RECVMSG, c::recvmsg, NAME);
        s.establish(SyscallTable.SHUTDOWN, c::shutdown, NAME);
        s.establish(SyscallTable.GETSOCKNAME, c::getsockname, NAME);
        s.establish(SyscallTable.GETPEERNAME, c::getpeername, NAME);
        s.establish(SyscallTable.SETSOCKOPT, c::setsockopt, NAME);
        s.establish(SyscallTable.GETSOCKOPT, c::getsockopt, NAME);
        return 0;
    }
}
