package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Server;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A channel Spring Boot's gRPC client builds, pinging every 10 s (Boot's own
 * {@code keepalive.time}) on a quiet stream to a server with grpc-java's default ping policy (one
 * per 5 minutes): the server sends GOAWAY too_many_pings at the third ping, and the starter counts
 * it and logs one ERROR line naming the channel and the property to raise. grpc-java clamps client
 * keepalive to 10 s, so this takes about 30 s.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringGrpcTooManyPingsTest {

    /** Three pings at 10 s, plus scheduling slack. */
    private static final Duration DETECTION_WINDOW = Duration.ofSeconds(45);

    @Test
    void aBootChannelPingingTooOftenGetsGoAwayAndOneErrorLineNamingTheProperty(CapturedOutput output) throws Exception {
        Server server = TestServers.start();
        try {
            SpringGrpcTesting.client()
                    .withPropertyValues("spring.grpc.client.channel.pinging.target=static://127.0.0.1:" + server.getPort(),
                            "spring.grpc.client.channel.pinging.keepalive.time=10s",
                            "spring.grpc.client.channel.pinging.keepalive.timeout=5s")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        GoAwayRegistry goAways = context.getBean(GoAwayRegistry.class);
                        var stream = QuietStream.open(SpringGrpcTesting.channel(context, "pinging"));

                        Status status = stream.get(DETECTION_WINDOW.toSeconds(), TimeUnit.SECONDS);
                        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(status.getDescription()).contains("too_many_pings");
                        await().atMost(Duration.ofSeconds(5))
                                .until(() -> goAways.count("pinging", GoAwayReason.TOO_MANY_PINGS) == 1);
                    });
        } finally {
            server.shutdownNow();
        }
        assertThat(output.getAll()).containsOnlyOnce("gRPC channel 'pinging': server sent GOAWAY too_many_pings")
                .contains("ERROR", "gRPC channel 'pinging': server sent GOAWAY too_many_pings: it permits fewer pings "
                        + "than this channel's HTTP/2 keepalive time 10s sends, and grpc-java now doubles that time "
                        + "for the channel's new connections. Raise grpc.resilience.client.channels.pinging.keepalive.time "
                        + "to the server's permit-keepalive time (5m for servers with default settings)");
    }
}
