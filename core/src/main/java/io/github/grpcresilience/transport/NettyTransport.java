package io.github.grpcresilience.transport;

import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import jdk.net.ExtendedSocketOptions;

/**
 * The transport hook for one Netty flavour. This file is written against unshaded
 * {@code grpc-netty}; the build generates {@code ShadedNettyTransport} for
 * {@code grpc-netty-shaded} from it by rewriting the package names, so both flavours run the same
 * code.
 *
 * <p>grpc-java offers no public way to see a GOAWAY on a connection without calls, nor to know
 * which socket type a builder will use. So the hook gives each builder a channel factory (and the
 * matching event loop group, which grpc-java requires with it) that it owns: it knows the socket
 * type, sets the TCP keepalive options that type supports, and taps every connection's HTTP/2
 * codec for GOAWAY frames. It also tells grpc-java of a closed connection at once (see
 * {@link CloseAtOnce}). The event loop group is shared by all channels of this hook and shut
 * down by {@link #close()}, after the channels are closed.
 *
 * <p>Thread-safety: {@link #install} may be called from any thread; the event loop group is
 * created once under the instance lock. The GOAWAY tap runs on each connection's event loop.
 */
public final class NettyTransport implements AutoCloseable {

    static final String FLAVOUR = "grpc-netty";
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final boolean epoll;
    private final Object lock = new Object();
    @GuardedBy("lock")
    private EventLoopGroup group;
    @GuardedBy("lock")
    private boolean closed;

    /**
     * @param kind the socket type to use; {@code AUTO} picks epoll when it is available, as
     *        grpc-java does
     * @throws IllegalStateException if {@code EPOLL} is asked for and not available
     */
    public NettyTransport(TransportKind kind) {
        boolean epollAvailable = epollAvailable();
        if (kind == TransportKind.EPOLL && !epollAvailable) {
            throw new IllegalStateException("Netty epoll is not available for " + FLAVOUR);
        }
        this.epoll = kind == TransportKind.EPOLL || (kind == TransportKind.AUTO && epollAvailable);
    }

    /** Whether the builder is one this hook can configure. */
    public static boolean supports(ManagedChannelBuilder<?> builder) {
        return builder instanceof NettyChannelBuilder;
    }

    /**
     * Gives the builder this hook's channel factory and event loop group, the TCP keepalive
     * options the socket type supports, and a GOAWAY tap that reports to {@code listener}.
     */
    public AppliedTransport install(ManagedChannelBuilder<?> builder, TcpKeepAlive tcp,
            GoAwayListener listener) {
        NettyChannelBuilder netty = (NettyChannelBuilder) builder;
        boolean useEpoll = epoll;
        Integer userTimeoutMillis = tcp.enabled() && useEpoll ? (int) tcp.effectiveUserTimeout().toMillis() : null;
        netty.eventLoopGroup(eventLoopGroup());
        netty.channelFactory(() -> {
            Channel channel = useEpoll ? new EpollSocketChannel() : new NioSocketChannel();
            channel.pipeline().addFirst(new GoAwayTap(listener, userTimeoutMillis));
            channel.pipeline().addFirst(new CloseAtOnce());
            return channel;
        }, InetSocketAddress.class);
        Map<String, Object> applied = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        if (tcp.enabled()) {
            netty.withOption(ChannelOption.SO_KEEPALIVE, true);
            applied.put("SO_KEEPALIVE", true);
            int idle = (int) tcp.idle().toSeconds();
            int interval = (int) tcp.interval().toSeconds();
            int userTimeout = (int) tcp.effectiveUserTimeout().toMillis();
            if (useEpoll) {
                netty.withOption(EpollChannelOption.TCP_KEEPIDLE, idle);
                netty.withOption(EpollChannelOption.TCP_KEEPINTVL, interval);
                netty.withOption(EpollChannelOption.TCP_KEEPCNT, tcp.count());
                netty.withOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeout);
                applied.put("TCP_KEEPIDLE", idle);
                applied.put("TCP_KEEPINTVL", interval);
                applied.put("TCP_KEEPCNT", tcp.count());
                applied.put("TCP_USER_TIMEOUT", userTimeout);
            } else {
                putNio(netty, ExtendedSocketOptions.TCP_KEEPIDLE, "TCP_KEEPIDLE", idle, applied, unsupported);
                putNio(netty, ExtendedSocketOptions.TCP_KEEPINTERVAL, "TCP_KEEPINTVL", interval, applied,
                        unsupported);
                putNio(netty, ExtendedSocketOptions.TCP_KEEPCOUNT, "TCP_KEEPCNT", tcp.count(), applied,
                        unsupported);
                unsupported.add("TCP_USER_TIMEOUT");
            }
        }
        return new AppliedTransport(FLAVOUR, useEpoll ? "epoll" : "nio", Map.copyOf(applied),
                List.copyOf(unsupported));
    }

    private static void putNio(NettyChannelBuilder netty, SocketOption<Integer> option, String name,
            int value, Map<String, Object> applied, List<String> unsupported) {
        if (NioSupport.SUPPORTED.contains(option)) {
            netty.withOption(NioChannelOption.of(option), value);
            applied.put(name, value);
        } else {
            unsupported.add(name);
        }
    }

    private EventLoopGroup eventLoopGroup() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The transport hook is closed");
            }
            if (group == null) {
                DefaultThreadFactory threads = new DefaultThreadFactory("grpc-resilience-" + FLAVOUR, true);
                group = epoll ? new EpollEventLoopGroup(0, threads) : new NioEventLoopGroup(0, threads);
            }
            return group;
        }
    }

    /** Shuts the event loop group down; call it after every channel using it has terminated. */
    @Override
    public void close() {
        EventLoopGroup toClose;
        synchronized (lock) {
            closed = true;
            toClose = group;
            group = null;
        }
        if (toClose != null) {
            toClose.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
        }
    }

    private static boolean epollAvailable() {
        return classPresent("io.netty.channel.epoll.Epoll") && Epoll.isAvailable();
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, NettyTransport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** The JDK's extended socket options that NIO sockets support on this platform. */
    private static final class NioSupport {
        static final java.util.Set<SocketOption<?>> SUPPORTED = read();

        private static java.util.Set<SocketOption<?>> read() {
            try (SocketChannel probe = SocketChannel.open()) {
                return java.util.Set.copyOf(probe.supportedOptions());
            } catch (IOException ex) {
                return java.util.Set.of();
            }
        }
    }

    /**
     * Sits first in a connection's pipeline until grpc-java's HTTP/2 handler is there, adds a
     * listener for GOAWAY to its connection, then removes itself. Every server sends SETTINGS
     * before anything else, so the listener is in place before any GOAWAY can be read.
     *
     * <p>On TLS, grpc-java adds its HTTP/2 handler when the handshake completes, which happens
     * inside the SslHandler while it passes on a read: the frames that arrived in the same read
     * as the handshake's last message (a TLS 1.2 server's Finished comes with its SETTINGS, and a
     * draining server's GOAWAY may follow at once) go to the new handler before a tap in front of
     * the SslHandler looks again. So once an SslHandler is in the pipeline, the tap moves behind
     * it and looks for the HTTP/2 handler before each decrypted read instead.
     *
     * <p>It also sets {@code TCP_USER_TIMEOUT} again when the connection becomes active: with
     * HTTP/2 keepalive on, grpc-java overwrites the channel option with its keepalive timeout
     * after registration (and before connecting), which would silently replace the configured one.
     */
    private static final class GoAwayTap extends ChannelInboundHandlerAdapter {
        private final GoAwayListener listener;
        private final Integer userTimeoutMillis;
        private final boolean behindTls;

        GoAwayTap(GoAwayListener listener, Integer userTimeoutMillis) {
            this(listener, userTimeoutMillis, false);
        }

        private GoAwayTap(GoAwayListener listener, Integer userTimeoutMillis, boolean behindTls) {
            this.listener = listener;
            this.userTimeoutMillis = userTimeoutMillis;
            this.behindTls = behindTls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (userTimeoutMillis != null) {
                ctx.channel().config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ChannelPipeline pipeline = ctx.pipeline();
            Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
            if (http2 != null) {
                http2.connection().addListener(new Http2ConnectionAdapter() {
                    @Override
                    public void onGoAwayReceived(int lastStreamId, long errorCode,
                            io.netty.buffer.ByteBuf debugData) {
                        listener.onGoAway(errorCode, debugData.toString(StandardCharsets.UTF_8));
                    }
                });
                pipeline.remove(this);
            } else if (!behindTls) {
                ChannelHandlerContext tls = pipeline.context(SslHandler.class);
                if (tls != null) {
                    // the connection is already active: the moved tap has no socket option to set
                    pipeline.addAfter(tls.name(), null, new GoAwayTap(listener, null, true));
                    pipeline.remove(this);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * First in every connection's pipeline: when the connection closes, tells grpc-java at once,
     * so that a call starting at that moment is retried on another connection instead of failing.
     *
     * <p>Netty closes a connection on the peer's FIN (a crashed or killed server's kernel sends
     * one) without passing the close through the pipeline, and fires {@code channelInactive} only
     * in a later event-loop task. Until then grpc-java takes the transport as READY: a call that
     * picked it writes its HEADERS onto the closed channel, gets a {@code ClosedChannelException}
     * without a cause and fails {@code UNKNOWN: channel closed}, as if the server might have
     * processed it, though no byte of it left the client (grpc/grpc-java#10120). This handler
     * raises an UNAVAILABLE error from the close future's listener, which Netty runs inside the
     * close, before any queued write: grpc-java marks the transport shut down, a stream it is
     * asked to create afterwards fails as never sent and is retried transparently (without using a
     * retry attempt), and streams already sent end UNAVAILABLE as they did before, at
     * {@code channelInactive}. When grpc-java closed the connection itself it already knows, and
     * ignores the error. Only once the HTTP/2 handler is in place: before that (connecting, TLS
     * handshake) no call has a stream on the connection, and grpc-java's own reasons stay first.
     *
     * <p>A write that still reaches a closed connection fails with that UNAVAILABLE status as its
     * cause, never with a bare {@code ClosedChannelException} that grpc-java reports as UNKNOWN.
     */
    static final class CloseAtOnce extends ChannelDuplexHandler {

        static final Status CLOSED =
                Status.UNAVAILABLE.withDescription("connection closed by the remote end or the network");

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.channel().closeFuture().addListener(closed -> {
                if (ctx.pipeline().get(Http2ConnectionHandler.class) != null) {
                    ctx.fireExceptionCaught(CLOSED.asRuntimeException());
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (ctx.channel().isOpen()) {
                ctx.write(msg, promise);
                return;
            }
            ReferenceCountUtil.release(msg);
            ClosedChannelException closed = new ClosedChannelException();
            closed.initCause(CLOSED.asRuntimeException());
            promise.tryFailure(closed);
        }
    }
}
