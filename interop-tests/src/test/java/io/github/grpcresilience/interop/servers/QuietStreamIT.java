package io.github.grpcresilience.interop.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ConnectivityState;
import java.time.Duration;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A quiet stream (no message either way) to a Python or Go server with its default ping policy
 * (one ping per 5 min; a client pinging every 10 s gets GOAWAY {@code too_many_pings} after about
 * 37 s from grpc-go and 52 s from grpcio, see {@link TooManyPingsIT}) outlives that policy with the
 * starter's defaults: its HTTP/2 keepalive of 5 min is permitted and its kernel keepalive is
 * invisible to the server. The channel stays READY, no GOAWAY arrives, and the stream still
 * carries a message afterwards.
 */
class QuietStreamIT {

    /** Longer than a 10 s pinger lasts against either server (52 s measured against grpcio). */
    private static final Duration HOLD = Duration.ofSeconds(60);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration ROUND_TRIP = Duration.ofSeconds(5);

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest
    @EnumSource(PeerLanguage.class)
    void aQuietStreamOutlivesTheServersPingPolicyWithTheStartersDefaults(PeerLanguage language) throws Exception {
        String name = language.id() + "-quiet";
        try (PeerServer server = PeerServer.of(language, name).start();
                StarterClient client = StarterClient.start(StarterClient.channel(name, null, server))) {
            HoldStream stream = HoldStream.open(client.channel(name));
            try {
                await("channel " + name + " READY").atMost(CONNECT)
                        .until(() -> client.state(name) == ConnectivityState.READY);

                await(name + " quiet stream open and channel READY throughout " + HOLD)
                        .during(HOLD).atMost(HOLD.plus(CONNECT))
                        .until(() -> !stream.closed().isDone() && client.state(name) == ConnectivityState.READY);

                assertThat(client.goAways().counts(name).values()).as("GOAWAYs on " + name).containsOnly(0L);
                assertThat(stream.roundTrip("still there", ROUND_TRIP)).as("echo on the held stream")
                        .isEqualTo("still there");
            } finally {
                stream.cancel();
            }
        }
    }
}
