package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.serverhealth.ServerWatcher;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * Spring Boot's health push and the starter's server health cannot both own the gRPC health
 * statuses: asking for Boot's explicitly fails the startup, naming both properties and the fix;
 * without the starter, Boot's push is Boot's default again.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringGrpcServerHealthOwnershipTest {

    @Test
    void switchingSpringBootsHealthPushOnFailsTheStartup(CapturedOutput output) {
        assertThatThrownBy(() -> SpringGrpcServerTestApp.start("spring.grpc.server.health.schedule.enabled=true"))
                .satisfies(failure -> assertThat(NestedExceptionUtils.getRootCause(failure))
                        .isInstanceOf(InvalidGrpcResiliencePropertyException.class));
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("spring.grpc.server.health.schedule.enabled")
                .contains("grpc.resilience.server.health.services.<name>.include")
                .contains("grpc.resilience.enabled=false");
    }

    @Test
    void mappingServicesInSpringBootsPropertiesFailsTheStartup(CapturedOutput output) {
        assertThatThrownBy(() -> SpringGrpcServerTestApp.start(
                "spring.grpc.server.health.service.orders.include=ping"))
                .satisfies(failure -> assertThat(NestedExceptionUtils.getRootCause(failure))
                        .isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                        .hasMessageContaining("spring.grpc.server.health.service.orders.include"));
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("grpc.resilience.server.health.services.orders.include");
    }

    @Test
    void withoutTheStarterSpringBootsHealthPushIsOnAndMayBeConfigured() throws Exception {
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start("grpc.resilience.enabled=false",
                "spring.grpc.server.health.schedule.enabled=true", "spring.grpc.server.health.schedule.delay=0s",
                "spring.grpc.server.health.service.orders.include=ping");
                ServerWatcher client = new ServerWatcher(SpringGrpcServerTestApp.port(context))) {
            assertThat(context.containsBean("grpcServerHealthScheduler")).isTrue();
            // Boot's push sets the service it maps from actuator's ping contributor
            await().atMost(Duration.ofSeconds(10)).until(() -> client.check("orders").equals("SERVING"));
            assertThat(context.getEnvironment().getPropertySources()
                    .contains(SpringGrpcServerHealthDefaults.SOURCE_NAME)).isFalse();
        }
    }
}
