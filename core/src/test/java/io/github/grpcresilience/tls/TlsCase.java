package io.github.grpcresilience.tls;

import io.github.grpcresilience.testing.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import java.net.InetSocketAddress;
import java.util.stream.Stream;

/**
 * One way a TLS test runs: both ends on one Netty flavour ({@code grpc-netty} or
 * {@code grpc-netty-shaded}, whose TLS stacks differ: the JDK's, or BoringSSL through
 * netty-tcnative), with server TLS (the client trusts the test CA) or mutual TLS (the server
 * also requires a client certificate signed by it). Channels target {@code 127.0.0.1}, which the
 * server certificate names, so hostname verification is on.
 */
public record TlsCase(boolean shaded, boolean mutual) {

    /** One test PKI for the whole suite: generating keys takes a moment. */
    static final TestCertificates CERTIFICATES = TestCertificates.generate();

    /** grpc-netty and grpc-netty-shaded, each with TLS and with mutual TLS. */
    public static Stream<TlsCase> all() {
        return Stream.of(new TlsCase(false, false), new TlsCase(false, true), new TlsCase(true, false),
                new TlsCase(true, true));
    }

    /** grpc-netty and grpc-netty-shaded with server TLS only. */
    public static Stream<TlsCase> serverTls() {
        return all().filter(tls -> !tls.mutual());
    }

    /** {@code grpc-netty} or {@code grpc-netty-shaded}, as {@code AppliedTransport.flavour()} names it. */
    public String flavour() {
        return shaded ? "grpc-netty-shaded" : "grpc-netty";
    }

    /** The channel target for a server on this loopback port. */
    public static String target(int port) {
        return "dns:///127.0.0.1:" + port;
    }

    /** A server builder of this flavour on 127.0.0.1:port (0 for any) with this case's credentials. */
    public ServerBuilder<?> serverBuilder(int port) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        ServerCredentials credentials = CERTIFICATES.serverCredentials(mutual);
        return shaded
                ? io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(address, credentials)
                : io.grpc.netty.NettyServerBuilder.forAddress(address, credentials);
    }

    /** Limits each connection to {@code calls} concurrent calls ({@code MAX_CONCURRENT_STREAMS}). */
    public static ServerBuilder<?> maxConcurrentCallsPerConnection(ServerBuilder<?> builder, int calls) {
        if (builder instanceof io.grpc.netty.NettyServerBuilder netty) {
            return netty.maxConcurrentCallsPerConnection(calls);
        }
        return ((io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder) builder).maxConcurrentCallsPerConnection(calls);
    }

    /** A channel builder of this flavour for {@link #target(int)} with this case's credentials. */
    public ManagedChannelBuilder<?> channelBuilder(int port) {
        ChannelCredentials credentials = CERTIFICATES.channelCredentials(mutual);
        return shaded
                ? io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(target(port), credentials)
                : io.grpc.netty.NettyChannelBuilder.forTarget(target(port), credentials);
    }

    @Override
    public String toString() {
        return flavour() + (mutual ? " mTLS" : " TLS");
    }
}
