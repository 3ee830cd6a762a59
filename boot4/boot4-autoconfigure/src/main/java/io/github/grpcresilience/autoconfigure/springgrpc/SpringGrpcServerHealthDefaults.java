package io.github.grpcresilience.autoconfigure.springgrpc;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Switches off Spring Boot's push of actuator health into the gRPC {@code HealthStatusManager}
 * ({@code GrpcServerHealthScheduler}, every {@code spring.grpc.server.health.schedule.period}),
 * as a default that any application setting overrides (added as the last property source).
 *
 * <p>Precedence: the starter's {@code GrpcHealthBridge} owns the statuses. It already follows
 * actuator, per service name ({@code grpc.resilience.server.health.services.*}: {@code liveness}
 * and {@code readiness} by default), turns every status NOT_SERVING when readiness refuses
 * traffic and for good when the application closes. Boot's push sets {@code ""} and the services
 * of {@code spring.grpc.server.health.service.*} from actuator on its own schedule, so it would
 * turn them SERVING again while the application refuses traffic. A user who switches the push on
 * explicitly, or maps services under {@code spring.grpc.server.health.service}, while the
 * starter's server health is on, gets a startup failure ({@link SpringGrpcServerHealthOwnershipCheck});
 * with {@code grpc.resilience.enabled=false} nothing is added and Boot's health works as without
 * the starter.
 *
 * <p>Registered under Spring Boot 4's {@code org.springframework.boot.EnvironmentPostProcessor}
 * key (Boot 4.1 also reads the deprecated {@code org.springframework.boot.env} key the Boot 3
 * layer of the starter uses).
 */
public class SpringGrpcServerHealthDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "grpcResilienceSpringGrpcServerDefaults";
    static final String SCHEDULE_ENABLED = "spring.grpc.server.health.schedule.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("grpc.resilience.enabled", Boolean.class, true)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(SCHEDULE_ENABLED, "false")));
    }
}
