package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The connection max-age of a Spring Boot 4.1 gRPC server: from
 * {@code grpc.resilience.server.connection.max-age}, and from Boot's own
 * {@code spring.grpc.server.keepalive.connection.max-age} when that is set explicitly (the
 * starter's 30-minute default must not replace it). The server sends GOAWAY {@code max_age}, new
 * calls go to a new connection without failing, and a call that was running on the old connection
 * still completes (no grace: it is never cut).
 */
class SpringGrpcServerMaxAgeTest {

    @Test
    void theStartersMaxAgeRotatesConnectionsWithoutFailingCalls() {
        try (ConfigurableApplicationContext server = SpringGrpcServerTestApp.start(
                "grpc.resilience.server.connection.max-age=2s")) {
            clientSeesRotation(server);
        }
    }

    @Test
    void bootsExplicitMaxAgeWinsOverTheStartersDefault() {
        try (ConfigurableApplicationContext server = SpringGrpcServerTestApp.start(
                "spring.grpc.server.keepalive.connection.max-age=2s")) {
            clientSeesRotation(server);
        }
    }

    private static void clientSeesRotation(ConfigurableApplicationContext server) {
        HoldingService service = server.getBean(HoldingService.class);
        SpringGrpcTesting.client()
                .withPropertyValues("spring.grpc.client.channel.aged.target=static://127.0.0.1:"
                        + SpringGrpcServerTestApp.port(server))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ManagedChannel channel = SpringGrpcTesting.channel(context, "aged");
                    GoAwayRegistry goAways = context.getBean(GoAwayRegistry.class);

                    var held = SimpleServiceGrpc.newFutureStub(channel)
                            .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(HoldingService.HOLD).build());
                    await().atMost(Duration.ofSeconds(5)).until(() -> service.held() == 1);
                    try {
                        // Unary calls keep succeeding while the server rotates connections.
                        AtomicInteger succeeded = new AtomicInteger();
                        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                            SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                                    .unaryRpc(SimpleRequest.getDefaultInstance());
                            succeeded.incrementAndGet();
                            return goAways.count("aged", GoAwayReason.MAX_AGE) >= 2;
                        });
                        assertThat(succeeded.get()).isGreaterThan(1);

                        // The call held on the first connection still completes.
                        service.release();
                        SimpleResponse released = held.get(5, TimeUnit.SECONDS);
                        assertThat(released.getResponseMessage()).isEqualTo("released");
                    } finally {
                        service.release(); // an open call would hold the channel's shutdown for its grace period
                    }
                });
    }
}
