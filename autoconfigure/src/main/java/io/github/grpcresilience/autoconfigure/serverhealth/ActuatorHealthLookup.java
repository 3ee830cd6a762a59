package io.github.grpcresilience.autoconfigure.serverhealth;

import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;

/**
 * Spring Boot 3: reads an actuator health contributor or group through the health endpoint, so groups
 * ({@code liveness}, {@code readiness}, custom ones) and nested contributors ({@code db/primary})
 * resolve exactly as {@code /actuator/health/<path>} would.
 */
final class ActuatorHealthLookup implements GrpcHealthBridge.ActuatorHealth {

    private final ObjectProvider<HealthEndpoint> endpoint;

    ActuatorHealthLookup(ObjectProvider<HealthEndpoint> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Optional<String> status(String contributorOrGroup) {
        HealthEndpoint health = endpoint.getIfAvailable();
        if (health == null) {
            return Optional.empty();
        }
        HealthComponent component = health.healthForPath(contributorOrGroup.split("/"));
        return Optional.ofNullable(component).map(found -> found.getStatus().getCode());
    }
}
