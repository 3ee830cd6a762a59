package io.github.grpcresilience.interop.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.testing.KernelBlackHole;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Python or Go server that vanishes without FIN or RST (nftables drops its port on loopback) is
 * found by the starter's default kernel TCP keepalive on a quiet stream (20 s idle, then the first
 * probe left unanswered past the 20 s {@code TCP_USER_TIMEOUT}, 5 s later: 25 s): the stream fails UNAVAILABLE and the channel leaves READY, neither at once nor
 * after the window. The server's own settings play no part; this is the layer no server polices.
 */
class KernelBlackHoleIT {

    /** The starter's 25 s, plus the kernel's timer slack and scheduling on a loaded machine. */
    private static final Duration WINDOW = Duration.ofSeconds(35);
    /** No failure can come sooner than the first unanswered probe: a faster one is not keepalive. */
    private static final Duration NOT_BEFORE = Duration.ofSeconds(20);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration ROUND_TRIP = Duration.ofSeconds(5);
    /** net.devh's view of the channel state follows the channel's callbacks a little later. */
    private static final Duration STATE_LAG = Duration.ofSeconds(5);

    @BeforeAll
    static void requireKernelFaults() {
        KernelBlackHole.assumeOrFailInCi();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest
    @EnumSource(PeerLanguage.class)
    void aBlackHoledServerIsFoundWithinTheTcpKeepaliveWindow(PeerLanguage language) throws Exception {
        String name = language.id() + "-blackhole";
        try (PeerServer server = PeerServer.of(language, name).start();
                StarterClient client = StarterClient.start(StarterClient.channel(name, null, server));
                KernelBlackHole blackHole = KernelBlackHole.forPort(server.port())) {
            HoldStream stream = HoldStream.open(client.channel(name));
            try {
                assertThat(stream.roundTrip("before", ROUND_TRIP)).isEqualTo("before");
                await("channel " + name + " READY").atMost(CONNECT)
                        .until(() -> client.state(name) == ConnectivityState.READY);

                blackHole.engage();
                long engaged = System.nanoTime();
                Status status = stream.closed().get(WINDOW.toNanos(), TimeUnit.NANOSECONDS);
                Duration found = Duration.ofNanos(System.nanoTime() - engaged);
                System.out.printf("%s: black-holed server found after %.1f s: %s%n", language.id(),
                        found.toMillis() / 1000.0, status);

                assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(found).isGreaterThanOrEqualTo(NOT_BEFORE);
                await("channel " + name + " leaves READY").atMost(STATE_LAG)
                        .until(() -> client.state(name) != ConnectivityState.READY);
            } finally {
                stream.cancel();
            }
        }
    }
}
