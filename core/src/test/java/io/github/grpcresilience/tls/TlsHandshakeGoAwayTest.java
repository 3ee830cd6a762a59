package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A GOAWAY that arrives in the same read as the end of the TLS handshake is seen, on both Netty
 * flavours (TLS 1.2, where the server's Finished comes last): grpc-java adds its HTTP/2 handler
 * while the SslHandler is still passing that read on, so a tap that looked for the handler only
 * when the encrypted bytes arrived missed every frame in it. It did, in both cases in each of four
 * runs, before the tap learned to move behind the SslHandler. Server TLS only: with a client certificate
 * this server's frames did not reliably share the client's read with the Finished message, so a
 * mutual-TLS case would not show the gap.
 */
class TlsHandshakeGoAwayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#serverTls")
    void aGoAwayReadTogetherWithTheHandshakesLastMessageIsSeen(TlsCase tls) throws Exception {
        GoAwayRegistry goAways = new GoAwayRegistry();
        try (GoAwayOnHandshakeServer server = new GoAwayOnHandshakeServer();
                TransportHooks hooks = new TransportHooks(TransportKind.AUTO)) {
            ManagedChannelBuilder<?> builder = tls.channelBuilder(server.port());
            var unused = hooks.install(builder, TcpKeepAlive.DEFAULT, goAways.listenerFor("draining")).orElseThrow();
            ManagedChannel channel = builder.build();
            try {
                channel.getState(true);
                await().atMost(WAIT).until(() -> goAways.count("draining", GoAwayReason.NO_ERROR) == 1);
                assertThat(goAways.counts("draining").values().stream().mapToLong(Long::longValue).sum())
                        .isEqualTo(1);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
