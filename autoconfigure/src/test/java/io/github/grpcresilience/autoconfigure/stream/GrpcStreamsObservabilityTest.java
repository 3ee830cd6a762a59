package io.github.grpcresilience.autoconfigure.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.EndpointJson;
import io.github.grpcresilience.autoconfigure.observability.GrpcEndpoint;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.stream.RecordingServer;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A stream through the Spring wiring: health, metrics, endpoint section, and cleanup on close. */
@ExtendWith(OutputCaptureExtension.class)
class GrpcStreamsObservabilityTest {

    @Test
    @SuppressWarnings("unchecked")
    void healthMetricsAndEndpointFollowAStreamThroughAnOutage(CapturedOutput output) throws Exception {
        try (RecordingServer server = RecordingServer.onFreePort(UnaryOperator.identity()).start()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                            GrpcResilienceChannelRegistryAutoConfiguration.class,
                            GrpcResilienceObservabilityAutoConfiguration.class,
                            GrpcResilienceStreamsAutoConfiguration.class,
                            EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                            HealthEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                            SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                    .withPropertyValues("grpc.client.control-plane.address=static://127.0.0.1:" + server.port(),
                            "grpc.client.control-plane.negotiation-type=plaintext",
                            "grpc.client.control-plane.shutdown-grace-period=0s",
                            "management.endpoints.web.exposure.include=health,grpc",
                            "grpc.resilience.streams.defaults.reconnect.initial-backoff=100ms",
                            "grpc.resilience.streams.defaults.reconnect.check-interval=200ms",
                            "grpc.resilience.streams.instances.config-updates.health.unhealthy-grace=1s")
                    .run(context -> {
                        StreamSupervisor supervisor = context.getBean(StreamSupervisor.class);
                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                        HealthEndpoint health = context.getBean(HealthEndpoint.class);
                        SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(
                                NetDevhTesting.channel(context, "control-plane"));
                        ResilientStream<SimpleRequest, SimpleResponse> stream = supervisor
                                .<SimpleRequest, SimpleResponse>bidi("config-updates", "control-plane")
                                .open(stub::bidiStreamingRpc).onMessage(response -> { })
                                .onReconnect(out -> out.send(SimpleRequest.newBuilder().setRequestMessage("hi").build()))
                                .start();
                        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
                        assertThat(health.healthForPath("grpcStreams", "config-updates").getStatus()).isEqualTo(Status.UP);

                        server.stop();
                        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() != StreamState.HEALTHY);
                        await().atMost(Duration.ofSeconds(5)).until(() -> Status.DOWN
                                .equals(health.healthForPath("grpcStreams", "config-updates").getStatus()));
                        Health down = (Health) health.healthForPath("grpcStreams", "config-updates");
                        assertThat(down.getDetails()).containsKeys("downSince", "lastStatus", "attempts")
                                .containsEntry("channel", "control-plane");
                        assertThat(meters.get("grpc.client.stream.reconnects").tags("stream", "config-updates",
                                "outcome", "failure").counter().count()).isPositive();

                        server.start();
                        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
                        assertThat(health.healthForPath("grpcStreams", "config-updates").getStatus()).isEqualTo(Status.UP);
                        // listeners run right after the state change
                        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("grpc.client.stream.downtime")
                                .tags("stream", "config-updates").timer() != null);
                        assertThat(meters.get("grpc.client.stream.reconnects").tags("stream", "config-updates",
                                "outcome", "success").counter().count()).isEqualTo(1.0);
                        assertThat(meters.get("grpc.client.stream.downtime").tags("stream", "config-updates").timer()
                                .count()).isEqualTo(1);
                        assertThat(meters.get("grpc.client.stream.buffered").tags("stream", "config-updates").gauge()
                                .value()).isZero();

                        Map<String, Object> streams = (Map<String, Object>) EndpointJson
                                .all(context.getBean(GrpcEndpoint.class)).get("streams");
                        assertThat((Map<String, Object>) streams.get("config-updates")).containsEntry("state", "HEALTHY")
                                .containsEntry("reconnects", 1L).containsKey("settings")
                                // up again: the endpoint shows it has no down time, health leaves it out
                                .containsEntry("downSince", null);
                        assertThat(((Health) health.healthForPath("grpcStreams", "config-updates")).getDetails())
                                .doesNotContainKeys("downSince", "settings").containsEntry("reconnects", 1L);
                        assertThat(EndpointJson.of(context.getBean(GrpcEndpoint.class).item("streams", "config-updates")))
                                .containsEntry("channel", "control-plane");

                        stream.close();
                        assertThat(meters.getMeters()).noneMatch(m -> m.getId().getName().startsWith("grpc.client.stream."));
                        assertThat(supervisor.streams()).isEmpty();
                    });
        }
        // each meter registered once: Micrometer warns when a gauge is registered again
        assertThat(output.getAll()).doesNotContain("already registered")
                .containsOnlyOnce("gRPC stream 'config-updates' on channel 'control-plane' broke (")
                .containsOnlyOnce("gRPC stream 'config-updates' on channel 'control-plane' is back after ");
    }
}
