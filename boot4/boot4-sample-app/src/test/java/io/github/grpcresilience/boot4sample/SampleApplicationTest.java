package io.github.grpcresilience.boot4sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Control plane and agent in one process (no profile), over a real loopback connection on an
 * ephemeral port: the agent receives pushed updates; actuator shows the channel, its stream, its
 * service config and its health; the gRPC health service answers {@code liveness} and
 * {@code readiness}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.push-interval=200ms", "spring.grpc.server.shutdown.grace-period=0s",
        "grpc.resilience.server.shutdown.drain-delay=0s", "grpc.resilience.server.shutdown.grace-period=1s"})
@ContextConfiguration(initializers = EphemeralGrpcPort.class)
class SampleApplicationTest {

    @Autowired
    private Agent agent;

    @LocalServerPort
    private int httpPort;

    @Value("${spring.grpc.server.port}")
    private int grpcPort;

    @Test
    void agentReceivesPushedUpdates() {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.updatesReceived() >= 3);
        assertThat(agent.latestVersion()).isPositive();
        assertThat(Http.get(httpPort, "/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void actuatorShowsTheChannelReadyWithTheStartersServiceConfig() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Http.Response health = Http.get(httpPort, "/actuator/health/grpcChannels/control-plane");
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"state\":\"READY\"");
        });
        Http.Response grpc = Http.get(httpPort, "/actuator/grpc/channels/control-plane");
        assertThat(grpc.status()).as(grpc.body()).isEqualTo(200);
        assertThat(grpc.body()).contains("\"state\":\"READY\"").contains("\"tcpKeepalive\"")
                .contains("{\"name\":[{\"service\":\"control.ControlPlane\",\"method\":\"GetConfig\"}],"
                        + "\"retryPolicy\":{\"maxAttempts\":3.0,")
                .contains("\"timeout\":\"2s\"");
    }

    @Test
    void actuatorShowsTheSupervisedStreamHealthy() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Http.Response stream = Http.get(httpPort, "/actuator/health/grpcStreams/config-updates");
            assertThat(stream.status()).as(stream.body()).isEqualTo(200);
            assertThat(stream.body()).contains("\"state\":\"HEALTHY\"").contains("\"channel\":\"control-plane\"");
        });
    }

    @Test
    void grpcHealthServesLivenessAndReadiness() throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + grpcPort, InsecureChannelCredentials.create())
                .build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            for (String service : new String[] {"liveness", "readiness"}) {
                ServingStatus status = health.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
                assertThat(status).as(service).isEqualTo(ServingStatus.SERVING);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
