package io.github.grpcresilience.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0,
            Set.of(Status.Code.UNAVAILABLE));

    @Test
    void rendersWhatGrpcJavaAccepts() {
        ServiceConfig config = new ServiceConfig("round_robin", "", new RetryThrottling(10, 0.1), List.of(
                new MethodConfig(MethodName.ALL, RETRY, null, null, false),
                new MethodConfig(MethodName.parse("control.ControlPlane/GetConfig").orElseThrow(), null,
                        new HedgingPolicy(2, Duration.ofMillis(50), Set.of()), Duration.ofMillis(1500), true)));

        assertThat(config.toMap()).isEqualTo(Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                "healthCheckConfig", Map.of("serviceName", ""),
                "retryThrottling", Map.of("maxTokens", 10.0, "tokenRatio", 0.1),
                "methodConfig", List.of(
                        Map.of("name", List.of(Map.of()), "retryPolicy", Map.of("maxAttempts", 3.0,
                                "initialBackoff", "0.1s", "maxBackoff", "2s", "backoffMultiplier", 2.0,
                                "retryableStatusCodes", List.of("UNAVAILABLE"))),
                        Map.of("name", List.of(Map.of("service", "control.ControlPlane", "method", "GetConfig")),
                                "hedgingPolicy", Map.of("maxAttempts", 2.0, "hedgingDelay", "0.05s",
                                        "nonFatalStatusCodes", List.of()),
                                "timeout", "1.5s", "waitForReady", true))));
        ServiceConfigCheck.check(config.toMap());
    }

    @Test
    void grpcJavaIsTheFinalJudge() {
        Map<String, Object> unknownPolicy = new ServiceConfig("fastest_first", null, null, List.of()).toMap();
        assertThatThrownBy(() -> ServiceConfigCheck.check(unknownPolicy))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fastest_first");
        assertThatThrownBy(() -> ServiceConfigCheck.check(Map.of("methodConfig", List.of(Map.of("name",
                List.of(Map.of()), "timeout", "100ms")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void methodKeys() {
        assertThat(MethodName.parse("control.ControlPlane/GetConfig"))
                .contains(new MethodName("control.ControlPlane", "GetConfig"));
        assertThat(MethodName.parse("control.ControlPlane/*")).contains(new MethodName("control.ControlPlane", ""));
        assertThat(MethodName.parse("controlControlPlaneGetConfig")).isEmpty();
        assertThat(MethodName.parse("control.ControlPlane/")).isEmpty();
    }

    @Test
    void retryAndHedgingAreExclusive() {
        HedgingPolicy hedging = new HedgingPolicy(2, Duration.ofMillis(50), Set.of());
        assertThatThrownBy(() -> new MethodConfig(MethodName.ALL, RETRY, hedging, null, false))
                .hasMessage("*: retry and hedging are exclusive");
    }

    @Test
    void healthCheckingNeedsRoundRobin() {
        assertThatThrownBy(() -> new ServiceConfig("pick_first", "", null, List.of()))
                .hasMessage("client-side health checking needs round_robin, not pick_first");
    }
}
