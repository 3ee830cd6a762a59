package io.github.grpcresilience.transport;

import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.grpc.ManagedChannelBuilder;
import java.util.Optional;

/**
 * The transport hooks of every Netty flavour on the class path, behind one call. Flavours that are
 * absent are never loaded, so an application with only {@code grpc-netty-shaded} (net.devh's
 * default) or only {@code grpc-netty} works alike.
 *
 * <p>Thread-safety: immutable after construction; the hooks are thread-safe.
 */
public final class TransportHooks implements AutoCloseable {

    private final NettyTransport netty;
    private final ShadedNettyTransport shaded;

    /** Hooks for every flavour present, using the given socket type. */
    public TransportHooks(TransportKind kind) {
        // Checked by name before either class is loaded: verifying a hook class needs its flavour.
        this.netty = present("io.grpc.netty.NettyChannelBuilder") ? new NettyTransport(kind) : null;
        this.shaded = present("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder")
                ? new ShadedNettyTransport(kind) : null;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, TransportHooks.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /**
     * Installs the hook of the builder's flavour.
     *
     * @return what was applied, or empty when the builder is not a Netty builder (in-process,
     *         OkHttp, ...) and nothing was changed
     */
    public Optional<AppliedTransport> install(ManagedChannelBuilder<?> builder, TcpKeepAlive tcp,
            GoAwayListener listener) {
        if (netty != null && NettyTransport.supports(builder)) {
            return Optional.of(netty.install(builder, tcp, listener));
        }
        if (shaded != null && ShadedNettyTransport.supports(builder)) {
            return Optional.of(shaded.install(builder, tcp, listener));
        }
        return Optional.empty();
    }

    /** Shuts down the event loops; call after every channel has terminated. */
    @Override
    public void close() {
        if (netty != null) {
            netty.close();
        }
        if (shaded != null) {
            shaded.close();
        }
    }
}
