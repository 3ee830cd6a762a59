package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.transport.TestServers;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GOAWAY tap sees and classifies a server's GOAWAY {@code max_age} on a TLS and a mutual-TLS
 * connection, on both Netty flavours. On TLS grpc-java adds its HTTP/2 handler only after the
 * handshake, later than on plaintext, and the tap must still find it. The connection is idle when
 * the GOAWAY arrives: no call fails, so only the tap can tell.
 */
class TlsMaxConnectionAgeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#all")
    void maxAgeGoAwayIsClassified(TlsCase tls) throws Exception {
        Server server = tls.serverBuilder(0).addService(new TestServers.QuietService())
                .maxConnectionAge(1, TimeUnit.SECONDS).build().start();
        GoAwayRegistry goAways = new GoAwayRegistry();
        try (TransportHooks hooks = new TransportHooks(TransportKind.AUTO)) {
            ManagedChannelBuilder<?> builder = tls.channelBuilder(server.getPort());
            hooks.install(builder, TcpKeepAlive.DEFAULT, goAways.listenerFor("aged")).orElseThrow();
            ManagedChannel channel = builder.build();
            try {
                SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.getDefaultInstance());

                await().atMost(WAIT).until(() -> goAways.count("aged", GoAwayReason.MAX_AGE) > 0);
                assertThat(goAways.counts("aged")).containsEntry(GoAwayReason.TOO_MANY_PINGS, 0L)
                        .containsEntry(GoAwayReason.MAX_IDLE, 0L)
                        .containsEntry(GoAwayReason.NO_ERROR, 0L)
                        .containsEntry(GoAwayReason.OTHER, 0L);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
