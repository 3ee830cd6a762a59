package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.transport.AppliedTransport;
import io.github.grpcresilience.transport.ChannelzSockets;
import io.github.grpcresilience.transport.KernelSockets;
import io.github.grpcresilience.transport.TestServers;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel TCP keepalive options and {@code TCP_USER_TIMEOUT} reach the socket of a TLS and a
 * mutual-TLS connection, on both Netty flavours. The options are set before the connection
 * exists and {@code TCP_USER_TIMEOUT} again when it becomes active, both before the TLS handshake,
 * so TLS must not change them; this shows it does not.
 */
class TlsTransportTest {

    /** No user timeout configured: it is idle, 17 s. */
    private static final TcpKeepAlive TCP = new TcpKeepAlive(true, Duration.ofSeconds(17), Duration.ofSeconds(4), 6,
            null);
    private static final int USER_TIMEOUT_MILLIS = 17_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#all")
    void tcpKeepAliveAndUserTimeoutAreOnTheKernelSocket(TlsCase tls) throws Exception {
        Server server = tls.serverBuilder(0).addService(new TestServers.QuietService()).build().start();
        try (TransportHooks hooks = new TransportHooks(TransportKind.EPOLL)) {
            ManagedChannelBuilder<?> builder = tls.channelBuilder(server.getPort());
            AppliedTransport applied = hooks.install(builder, TCP, (code, data) -> { }).orElseThrow();
            // With HTTP/2 keepalive on, grpc-java sets TCP_USER_TIMEOUT to its keepalive timeout (5 s)
            // after the hook's option: the hook must set its own again when the connection is active.
            builder.keepAliveTime(5, TimeUnit.MINUTES).keepAliveTimeout(5, TimeUnit.SECONDS);
            ManagedChannel channel = builder.build();
            try {
                assertThat(SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("over tls").build())
                        .getResponseMessage()).isEqualTo("over tls");

                assertThat(applied.flavour()).isEqualTo(tls.flavour());
                assertThat(applied.socket()).isEqualTo("epoll");
                String target = TlsCase.target(server.getPort());
                List<Map<String, String>> sockets = ChannelzSockets.optionsOf(target);
                assertThat(sockets).singleElement().satisfies(options -> assertThat(options)
                        .containsEntry("SO_KEEPALIVE", "true")
                        .containsEntry("TCP_KEEPIDLE", "17")
                        .containsEntry("TCP_KEEPINTVL", "4")
                        .containsEntry("TCP_KEEPCNT", "6"));
                assertThat(KernelSockets.tcpUserTimeoutsOf(target)).containsExactly(USER_TIMEOUT_MILLIS);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
