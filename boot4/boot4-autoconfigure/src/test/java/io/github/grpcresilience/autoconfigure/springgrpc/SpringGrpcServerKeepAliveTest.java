package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.keepalive.ServerKeepAliveSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot's server keepalive is always on (2 h by default), so its explicit
 * {@code spring.grpc.server.keepalive.time} is left in force instead of the starter's default, and
 * the starter's explicit property wins over it with a warning naming both.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringGrpcServerKeepAliveTest {

    @Test
    void bootsExplicitKeepAliveTimeIsLeftInForce(CapturedOutput output) {
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start(
                "spring.grpc.server.keepalive.time=3m")) {
            ServerKeepAliveSettings settings = context.getBean(ServerKeepAliveSettings.class);
            assertThat(settings.policy().time()).as("left to Boot").isNull();
            assertThat(settings.policy().timeout()).as("the starter's default").isEqualTo(Duration.ofSeconds(20));
        }
        assertThat(output.getAll()).doesNotContain("overrides spring.grpc.server.keepalive");
    }

    @Test
    void theStartersExplicitKeepAliveTimeWinsWithAWarningNamingBoth(CapturedOutput output) {
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start(
                "spring.grpc.server.keepalive.time=3m", "grpc.resilience.server.keepalive.time=2m")) {
            assertThat(context.getBean(ServerKeepAliveSettings.class).policy().time()).isEqualTo(Duration.ofMinutes(2));
        }
        assertThat(output.getAll()).containsOnlyOnce("gRPC server: grpc.resilience.server.keepalive.time overrides "
                + "spring.grpc.server.keepalive.time");
    }
}
