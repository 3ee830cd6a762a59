package io.github.grpcresilience.autoconfigure.boot4health;

import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.details;
import static io.github.grpcresilience.autoconfigure.boot4health.Boot4Health.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.stream.RecordingServer;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code grpcStreams} on Spring Boot 4.1, over a real bidi stream on loopback through an outage. */
class GrpcStreamsHealthBoot4Test {

    @Test
    void aStreamIsUpWhileOpenAndDownOnceItHasBeenDownForLongerThanItsGrace() throws Exception {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        try (RecordingServer server = RecordingServer.onFreePort(UnaryOperator.identity()).start()) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                Boot4Health.onManualTime(new ApplicationContextRunner(), time)
                        .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                                GrpcResilienceChannelRegistryAutoConfiguration.class,
                                GrpcResilienceObservabilityAutoConfiguration.class,
                                GrpcResilienceStreamsAutoConfiguration.class, GrpcResilienceHealthAutoConfiguration.class))
                        .withConfiguration(Boot4Health.ACTUATOR)
                        .withBean(ConfiguredChannels.class, () -> name -> Duration.ZERO)
                        .withPropertyValues("management.endpoints.web.exposure.include=health",
                                "grpc.resilience.streams.defaults.reconnect.initial-backoff=100ms",
                                "grpc.resilience.streams.defaults.reconnect.check-interval=200ms",
                                "grpc.resilience.streams.instances.config-updates.health.unhealthy-grace=5s")
                        .run(context -> {
                            context.getBean(GrpcChannelRegistry.class).register("control-plane", "test", channel,
                                    Map.of());
                            SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(channel);
                            ResilientStream<SimpleRequest, SimpleResponse> stream = context.getBean(StreamSupervisor.class)
                                    .<SimpleRequest, SimpleResponse>bidi("config-updates", "control-plane")
                                    .open(stub::bidiStreamingRpc).onMessage(response -> { })
                                    .start();
                            await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
                            assertThat(status(context, "grpcStreams", "config-updates")).isEqualTo(Status.UP);
                            assertThat(details(context, "grpcStreams", "config-updates"))
                                    .containsEntry("channel", "control-plane").containsEntry("state", "HEALTHY")
                                    .doesNotContainKeys("downSince", "lastStatus");

                            server.stop();
                            await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() != StreamState.HEALTHY);
                            assertThat(status(context, "grpcStreams", "config-updates")).as("inside the grace")
                                    .isEqualTo(Status.UP);
                            assertThat(details(context, "grpcStreams", "config-updates")).containsKey("downSince");

                            time.advance(Duration.ofSeconds(5).plusNanos(1));
                            assertThat(status(context, "grpcStreams", "config-updates")).as("after the grace")
                                    .isEqualTo(Status.DOWN);
                            assertThat(status(context, "grpcStreams")).isEqualTo(Status.DOWN);

                            server.start();
                            await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
                            assertThat(status(context, "grpcStreams", "config-updates")).isEqualTo(Status.UP);
                            stream.close();
                        });
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
