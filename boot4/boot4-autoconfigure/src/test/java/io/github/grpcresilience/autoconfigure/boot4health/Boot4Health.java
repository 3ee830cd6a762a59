package io.github.grpcresilience.autoconfigure.boot4health;

import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.testing.ManualScheduler;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** Spring Boot 4.1's own health auto-configurations, and reading health the way the endpoint does. */
final class Boot4Health {

    private Boot4Health() {
    }

    /** Actuator's health endpoint with its registry, groups and availability probes, as Boot 4.1 configures them. */
    static final AutoConfigurations ACTUATOR = AutoConfigurations.of(EndpointAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class, HealthContributorAutoConfiguration.class,
            HealthEndpointAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
            AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class);

    /** The starter's clock and scheduler are the test's: graces end exactly when the test moves the clock. */
    static ApplicationContextRunner onManualTime(ApplicationContextRunner runner, ManualScheduler time) {
        return runner.withBean(GrpcResilienceScheduling.CLOCK, Clock.class, time::clock)
                .withBean(GrpcResilienceScheduling.SCHEDULER, ScheduledExecutorService.class, () -> time);
    }

    static HealthDescriptor health(ApplicationContext context, String... path) {
        return context.getBean(HealthEndpoint.class).healthForPath(path);
    }

    static Status status(ApplicationContext context, String... path) {
        return health(context, path).getStatus();
    }

    static Map<String, Object> details(ApplicationContext context, String... path) {
        return ((IndicatedHealthDescriptor) health(context, path)).getDetails();
    }
}
