package jrump.netchan;

import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * An echo server and a client in Netty's NIO transport, each on the provider it is given (Netty takes a
 * SelectorProvider in NioEventLoopGroup and in its channels' constructors). The client sends {@code size}
 * seeded random bytes and checks every byte that comes back.
 */
final class NettyEcho {
    private NettyEcho() {
    }

    /** Runs one echo of {@code size} bytes; returns the nanoseconds from connect to the last byte back. */
    static long run(SelectorProvider serverSide, SelectorProvider clientSide, InetSocketAddress bindAt, int size, long seed)
            throws Exception {
        EventLoopGroup serverGroup = new NioEventLoopGroup(1, (Executor) null, serverSide);
        EventLoopGroup clientGroup = new NioEventLoopGroup(1, (Executor) null, clientSide);
        try {
            Channel server = new ServerBootstrap().group(serverGroup)
                    .channelFactory(() -> new NioServerSocketChannel(serverSide))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.write(msg);
                                }

                                @Override
                                public void channelReadComplete(ChannelHandlerContext ctx) {
                                    ctx.flush();
                                }
                            });
                        }
                    }).bind(bindAt).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            byte[] data = new byte[size];
            new SplittableRandom(seed).nextBytes(data);
            CompletableFuture<Void> done = new CompletableFuture<>();
            long t0 = System.nanoTime();
            Channel client = new Bootstrap().group(clientGroup)
                    .channelFactory(() -> new NioSocketChannel(clientSide))
                    .handler(new ChannelInboundHandlerAdapter() {
                        int got;
                        byte[] chunk = new byte[65536];

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            try {
                                int n = b.readableBytes();
                                if (got + n > size) {
                                    done.completeExceptionally(new AssertionError("more bytes than sent (seed " + seed + ")"));
                                    return;
                                }
                                if (chunk.length < n) chunk = new byte[n];
                                b.readBytes(chunk, 0, n);
                                int bad = java.util.Arrays.mismatch(chunk, 0, n, data, got, got + n);
                                if (bad >= 0) {
                                    done.completeExceptionally(new AssertionError("byte " + (got + bad) + " differs (seed " + seed + ")"));
                                    return;
                                }
                                got += n;
                                if (got == size) done.complete(null);
                            } finally {
                                b.release();
                            }
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            done.completeExceptionally(cause);
                        }
                    }).connect(new InetSocketAddress(bindAt.getAddress(), port)).sync().channel();
            for (int off = 0; off < size; off += 65536) {
                client.write(Unpooled.wrappedBuffer(data, off, Math.min(65536, size - off)));
            }
            client.flush();
            done.get(120, TimeUnit.SECONDS);
            long t = System.nanoTime() - t0;
            client.close().sync();
            server.close().sync();
            return t;
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
