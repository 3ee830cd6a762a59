package io.github.grpcresilience.autoconfigure.boot4health;

import io.github.grpcresilience.autoconfigure.serverhealth.GrpcHealthBridge;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;

/**
 * Spring Boot 4: reads an actuator health contributor or group through the health endpoint, so
 * groups ({@code liveness}, {@code readiness}, custom ones) and nested contributors
 * ({@code db/primary}) resolve exactly as {@code /actuator/health/<path>} would.
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
        HealthDescriptor descriptor = health.healthForPath(contributorOrGroup.split("/"));
        return Optional.ofNullable(descriptor).map(found -> found.getStatus().getCode());
    }
}
