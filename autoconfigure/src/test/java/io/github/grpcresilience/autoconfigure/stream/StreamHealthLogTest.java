package io.github.grpcresilience.autoconfigure.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.stream.RecordingServer;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * One log line per stream health change, over real Netty on loopback: a stream to a refused port
 * logs one WARN with the root cause when its grace ends, however many attempts fail, and one INFO
 * when it is open again.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamHealthLogTest {

    @Test
    void aStreamToARefusedPortLogsOneWarnWhenItTurnsDownAndOneInfoWhenItIsBack(CapturedOutput output)
            throws Exception {
        try (RecordingServer server = RecordingServer.onFreePort(UnaryOperator.identity())) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                            GrpcResilienceChannelRegistryAutoConfiguration.class,
                            GrpcResilienceObservabilityAutoConfiguration.class,
                            GrpcResilienceStreamsAutoConfiguration.class, EndpointAutoConfiguration.class,
                            HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
                    .withConfiguration(NetDevhTesting.client())
                    .withPropertyValues("grpc.server.port=-1",
                            "grpc.client.control-plane.address=static://127.0.0.1:" + server.port(),
                            "grpc.client.control-plane.negotiation-type=plaintext",
                            "grpc.client.control-plane.shutdown-grace-period=0s",
                            "grpc.resilience.streams.defaults.reconnect.initial-backoff=100ms",
                            "grpc.resilience.streams.defaults.reconnect.max-backoff=200ms",
                            "grpc.resilience.streams.defaults.reconnect.check-interval=200ms",
                            "grpc.resilience.streams.instances.config-updates.health.unhealthy-grace=700ms")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(
                                NetDevhTesting.channel(context, "control-plane"));
                        ResilientStream<SimpleRequest, SimpleResponse> stream = context.getBean(StreamSupervisor.class)
                                .<SimpleRequest, SimpleResponse>serverStream("config-updates", "control-plane")
                                .open(stub::serverStreamingRpc)
                                .request(SimpleRequest.newBuilder().setRequestMessage("hi").build())
                                .onMessage(response -> { }).start();
                        // nobody reads health: the grace's end is noticed by the logger itself
                        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll()
                                .contains("gRPC stream 'config-updates' on channel 'control-plane' is DOWN"));
                        HealthEndpoint health = context.getBean(HealthEndpoint.class);
                        assertThat(health.healthForPath("grpcStreams", "config-updates").getStatus())
                                .isEqualTo(Status.DOWN);
                        assertThat(((Health) health.healthForPath("grpcStreams", "config-updates")).getDetails()
                                .get("lastStatus")).asString()
                                .startsWith("UNAVAILABLE: ").contains("Connection refused: /127.0.0.1:" + server.port())
                                .doesNotContain("io exception");

                        int attempts = stream.snapshot().attempts();
                        await().atMost(Duration.ofSeconds(10)).until(() -> stream.snapshot().attempts() >= attempts + 2);

                        server.start();
                        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
                        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll()
                                .contains("gRPC stream 'config-updates' on channel 'control-plane' is UP again"));
                        stream.close();
                    });
        }
        String log = output.getAll();
        assertThat(log).containsOnlyOnce("is DOWN").containsOnlyOnce("is UP again");
        String down = log.lines().filter(line -> line.contains("is DOWN")).findFirst().orElseThrow();
        assertThat(down).contains("WARN").contains("not open for longer than "
                + "grpc.resilience.streams.instances.config-updates.health.unhealthy-grace (700ms)")
                .contains("Connection refused: /127.0.0.1:");
        assertThat(log.lines().filter(line -> line.contains("is UP again")).findFirst().orElseThrow())
                .contains("INFO");
    }
}
