package io.github.grpcresilience.interop.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.testing.TestCertificates;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A channel configured to ping every 10 s, against a Python or Go server over TLS with its default
 * ping policy (one ping per 5 min, GOAWAY ENHANCE_YOUR_CALM {@code too_many_pings} once more than 2
 * pings came too early): the starter sees the GOAWAY behind the TLS handler, counts it and logs its
 * ERROR line naming the property to change. Measured: grpc-go 1.33 sends it 37–39 s after the stream
 * opened (the 4th ping) and closes the connection, so the quiet stream dies RESOURCE_EXHAUSTED;
 * grpcio 1.51 sends it after 47–52 s (the 5th ping) but keeps the connection, so the stream stays
 * open and usable, and only the ERROR line tells.
 */
class TooManyPingsIT {

    /** Five pings about 10.4 s apart (grpcio's GOAWAY comes after the 5th), plus scheduling slack. */
    private static final Duration DETECTION = Duration.ofSeconds(70);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    /** grpc-go closes the connection right after its GOAWAY; the stream fails as soon as the client reads that. */
    private static final Duration STREAM_FAILS = Duration.ofSeconds(5);
    private static final Duration ROUND_TRIP = Duration.ofSeconds(5);

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest
    @EnumSource(PeerLanguage.class)
    void tooManyPingsIsDetectedAndNamesThePropertyToChange(PeerLanguage language) throws Exception {
        String name = language.id() + "-pings";
        TestCertificates certificates = TestCertificates.generate();
        Map<String, String> properties = new LinkedHashMap<>();
        try (PeerServer server = PeerServer.of(language, name).withTls(certificates).start()) {
            properties.putAll(StarterClient.channel(name, certificates, server));
            properties.put("grpc.resilience.client.channels." + name + ".keepalive.time", "10s");
            // the starter refuses a timeout (default 20 s) that is not shorter than the time
            properties.put("grpc.resilience.client.channels." + name + ".keepalive.timeout", "5s");
            LogLines errors = LogLines.errors();
            try (StarterClient client = StarterClient.start(properties)) {
                HoldStream stream = HoldStream.open(client.channel(name));
                try {
                    await("channel " + name + " READY").atMost(CONNECT)
                            .until(() -> client.state(name) == ConnectivityState.READY);
                    Instant opened = Instant.now();

                    LogLines.Line line = await("ERROR line for " + name).atMost(DETECTION)
                            .until(() -> errors.find("gRPC channel '" + name + "'"), Optional::isPresent)
                            .orElseThrow();
                    System.out.printf("%s: GOAWAY too_many_pings logged %.1f s after the stream opened (TLS)%n",
                            language.id(), Duration.between(opened, line.at()).toMillis() / 1000.0);
                    assertThat(line.message()).isEqualTo("gRPC channel '" + name + "': server sent GOAWAY "
                            + "too_many_pings: it permits fewer pings than this channel's HTTP/2 keepalive time 10s "
                            + "sends, and grpc-java now doubles that time for the channel's new connections. Raise "
                            + "grpc.resilience.client.channels." + name + ".keepalive.time to the server's "
                            + "permit-keepalive time (5m for servers with default settings)");
                    assertThat(client.goAways().count(name, GoAwayReason.TOO_MANY_PINGS)).isEqualTo(1);

                    if (language == PeerLanguage.GO) {
                        Status status = stream.closed().get(STREAM_FAILS.toNanos(), TimeUnit.NANOSECONDS);
                        assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(status.getDescription()).contains("too_many_pings");
                    } else {
                        // grpcio 1.51 does not close the connection after its GOAWAY: the stream lives on
                        assertThat(stream.roundTrip("after GOAWAY", ROUND_TRIP)).isEqualTo("after GOAWAY");
                    }
                } finally {
                    stream.cancel();
                }
            }
        }
    }
}
