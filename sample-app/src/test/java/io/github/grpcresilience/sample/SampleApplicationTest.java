package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Control plane and agent in one process, over a real loopback connection on an ephemeral port:
 * the agent receives pushed updates; actuator shows the channel, its health and its metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.address=127.0.0.1", "sample.push-interval=200ms", "sample.config-check-interval=100ms",
        "grpc.server.shutdown-grace-period=0s", "grpc.client.control-plane.shutdown-grace-period=0s",
        "grpc.resilience.server.shutdown.drain-delay=0s", "grpc.resilience.server.shutdown.grace-period=1s"})
@org.springframework.test.context.ContextConfiguration(initializers = EphemeralGrpcPort.class)
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
class SampleApplicationTest {

    @Autowired
    private Agent agent;

    @Autowired
    private ControlPlaneService controlPlane;

    @Autowired
    private ConfigCheck configCheck;

    @Autowired
    private TestRestTemplate http;

    @Test
    void agentReceivesPushedUpdatesAndActuatorShowsTheChannel() {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.updatesReceived() >= 3);
        assertThat(agent.latestVersion()).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.acksReceived("agent-1") >= 3
                && configCheck.succeeded() >= 3);
        assertThat(agent.acksAccepted()).isGreaterThanOrEqualTo(controlPlane.acksReceived("agent-1"));
        assertThat(agent.acksUnsent()).isZero();
        assertThat(configCheck.failed()).isZero();

        // Spring Boot's probe groups answer with the status only; the components are in /actuator/health.
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        ResponseEntity<String> health = http.getForEntity("/actuator/health/grpcChannels", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).contains("control-plane").contains("READY");

        ResponseEntity<String> grpc = http.getForEntity("/actuator/grpc/channels/control-plane", String.class);
        assertThat(grpc.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(grpc.getBody()).contains("\"state\":\"READY\"").contains("\"tcpKeepalive\"")
                .contains("{\"name\":[{\"service\":\"control.ControlPlane\",\"method\":\"GetConfig\"}],"
                        + "\"retryPolicy\":{\"maxAttempts\":3.0,")
                .contains("\"timeout\":\"2s\"").contains("\"waitForReady\":true");

        String prometheus = http.getForObject("/actuator/prometheus", String.class);
        assertThat(prometheus).contains("grpc_client_channel_state{channel=\"control-plane\",state=\"ready\"} 1.0");
    }
}
