package io.github.grpcresilience.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TCP keepalive options reach the kernel socket, for both Netty flavours and both socket types.
 * HTTP/2 keepalive is on, the case where grpc-java overwrites {@code TCP_USER_TIMEOUT} with its
 * keepalive timeout, so the value is read back from the connected socket.
 */
class TransportHooksTest {

    /** No user timeout configured: it is idle, 17 s. */
    private static final TcpKeepAlive TCP = new TcpKeepAlive(true, Duration.ofSeconds(17), Duration.ofSeconds(4), 6,
            null);
    private static final int USER_TIMEOUT_MILLIS = 17_000;

    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stopServer() {
        server.shutdownNow();
    }

    static Stream<Arguments> flavours() {
        Function<String, ManagedChannelBuilder<?>> unshaded = io.grpc.netty.NettyChannelBuilder::forTarget;
        Function<String, ManagedChannelBuilder<?>> shaded =
                io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder::forTarget;
        return Stream.of(
                Arguments.of("grpc-netty", TransportKind.EPOLL, unshaded),
                Arguments.of("grpc-netty", TransportKind.NIO, unshaded),
                Arguments.of("grpc-netty-shaded", TransportKind.EPOLL, shaded),
                Arguments.of("grpc-netty-shaded", TransportKind.NIO, shaded));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("flavours")
    void tcpKeepAliveOptionsAreOnTheConnectedSocket(String flavour, TransportKind kind,
            Function<String, ManagedChannelBuilder<?>> builders) throws Exception {
        String target = "dns:///127.0.0.1:" + server.getPort();
        try (TransportHooks hooks = new TransportHooks(kind)) {
            ManagedChannelBuilder<?> builder = builders.apply(target).usePlaintext();
            AppliedTransport applied = hooks.install(builder, TCP, (code, data) -> { }).orElseThrow();
            // grpc-java sets TCP_USER_TIMEOUT to this keepalive timeout (5 s) after the hook's option
            builder.keepAliveTime(5, TimeUnit.MINUTES).keepAliveTimeout(5, TimeUnit.SECONDS);
            ManagedChannel channel = builder.build();
            try {
                SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.getDefaultInstance());

                assertThat(applied.flavour()).isEqualTo(flavour);
                assertThat(applied.socket()).isEqualTo(kind.name().toLowerCase());
                List<Map<String, String>> sockets = ChannelzSockets.optionsOf(target);
                assertThat(sockets).hasSize(1);
                Map<String, String> options = sockets.get(0);
                assertThat(options).containsEntry("SO_KEEPALIVE", "true")
                        .containsEntry("TCP_KEEPIDLE", "17")
                        .containsEntry(kind == TransportKind.EPOLL ? "TCP_KEEPINTVL" : "TCP_KEEPINTERVAL", "4")
                        .containsEntry(kind == TransportKind.EPOLL ? "TCP_KEEPCNT" : "TCP_KEEPCOUNT", "6");
                if (kind == TransportKind.EPOLL) {
                    // channelz does not list TCP_USER_TIMEOUT: ask the epoll socket (getsockopt)
                    assertThat(KernelSockets.tcpUserTimeoutsOf(target)).containsExactly(USER_TIMEOUT_MILLIS);
                    assertThat(applied.socketOptions()).containsEntry("TCP_USER_TIMEOUT", USER_TIMEOUT_MILLIS);
                    assertThat(applied.unsupported()).isEmpty();
                } else {
                    assertThat(applied.unsupported()).containsExactly("TCP_USER_TIMEOUT");
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void inProcessBuildersAreLeftAlone() {
        try (TransportHooks hooks = new TransportHooks(TransportKind.AUTO)) {
            assertThat(hooks.install(InProcessChannelBuilder.forName("x"), TCP, (code, data) -> { })).isEmpty();
        }
    }
}
