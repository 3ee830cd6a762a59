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
import org.springframework.test.context.ContextConfiguration;

/**
 * The sample with Kubernetes probes switched off (Spring Boot's default outside Kubernetes): it
 * starts and serves, {@code grpcChannels} is in the health endpoint, and there is no readiness group
 * (the starter's default used to name {@code readinessState} there and broke the startup).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoint.health.probes.enabled=false",
        "grpc.server.address=127.0.0.1", "sample.push-interval=200ms",
        "grpc.server.shutdown-grace-period=0s", "grpc.client.control-plane.shutdown-grace-period=0s",
        "grpc.resilience.server.shutdown.drain-delay=0s", "grpc.resilience.server.shutdown.grace-period=1s"})
@ContextConfiguration(initializers = EphemeralGrpcPort.class)
class SampleWithoutProbesTest {

    @Autowired
    private Agent agent;

    @Autowired
    private TestRestTemplate http;

    @Test
    void startsServesAndReportsGrpcChannelsWithoutAReadinessGroup() {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.updatesReceived() >= 1);

        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).contains("\"grpcChannels\"").contains("control-plane")
                .doesNotContain("readinessState");
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }
}
