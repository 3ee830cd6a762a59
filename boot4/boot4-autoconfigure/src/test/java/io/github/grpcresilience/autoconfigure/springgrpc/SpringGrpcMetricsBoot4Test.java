package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import io.github.grpcresilience.stream.RecordingServer;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;

/**
 * With Spring Boot 4's own metrics auto-configuration (its packages moved to
 * {@code org.springframework.boot.micrometer.metrics.autoconfigure}), a Boot-built channel gets
 * {@code grpc.client.channel.*}, a pooled one {@code grpc.client.pool.*} and a resilient stream
 * {@code grpc.client.stream.*} in the registry Boot defines. The starter's metrics configurations
 * see that registry only because they are ordered after Boot 4's auto-configurations by name;
 * without it they sort first and back off for want of a {@link MeterRegistry}.
 */
class SpringGrpcMetricsBoot4Test {

    @Test
    void bootChannelsPoolsAndStreamsHaveTheirMetersInBootsRegistry() throws Exception {
        try (RecordingServer server = RecordingServer.onFreePort(UnaryOperator.identity()).start()) {
            String target = "static://127.0.0.1:" + server.port();
            SpringGrpcTesting.client()
                    .withConfiguration(AutoConfigurations.of(GrpcResilienceObservabilityAutoConfiguration.class,
                            GrpcResilienceStreamsAutoConfiguration.class, MetricsAutoConfiguration.class,
                            SimpleMetricsExportAutoConfiguration.class,
                            CompositeMeterRegistryAutoConfiguration.class))
                    .withPropertyValues("spring.grpc.client.channel.inventory.target=" + target,
                            "spring.grpc.client.channel.pooled.target=" + target,
                            "grpc.resilience.client.channels.pooled.pool.min-size=2",
                            "grpc.resilience.client.channels.pooled.pool.max-size=4")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                        assertThat(meters).as("Boot's own registry").isInstanceOf(SimpleMeterRegistry.class);

                        ManagedChannel inventory = SpringGrpcTesting.channel(context, "inventory");
                        SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(inventory);
                        ResilientStream<SimpleRequest, SimpleResponse> stream = context.getBean(StreamSupervisor.class)
                                .<SimpleRequest, SimpleResponse>bidi("config-updates", "inventory")
                                .open(stub::bidiStreamingRpc).onMessage(response -> { })
                                .onReconnect(out -> out.send(SimpleRequest.newBuilder().setRequestMessage("hi").build()))
                                .start();
                        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
                        SpringGrpcTesting.channel(context, "pooled");
                        // each meter family on its own, so that a run without the ordering shows all three missing
                        assertSoftly(softly -> {
                            softly.assertThat(value(meters.find("grpc.client.channel.state")
                                    .tags("channel", "inventory", "state", "ready").gauge())).as("channel state").isEqualTo(1.0);
                            softly.assertThat(value(meters.find("grpc.client.pool.size").tag("channel", "pooled").gauge()))
                                    .as("pool size").isEqualTo(2.0);
                            softly.assertThat(value(meters.find("grpc.client.stream.buffered")
                                    .tags("stream", "config-updates", "channel", "inventory").gauge())).as("stream buffer")
                                    .isEqualTo(0.0);
                        });
                        stream.close();
                    });
        }
    }

    /** The gauge's value, or {@code null} for a gauge that is not registered. */
    private static Double value(Gauge gauge) {
        return gauge == null ? null : gauge.value();
    }
}
