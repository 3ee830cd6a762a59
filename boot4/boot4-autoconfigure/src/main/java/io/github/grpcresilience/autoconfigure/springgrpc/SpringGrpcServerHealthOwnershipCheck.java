package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import java.util.Set;

/**
 * Fails the startup when Spring Boot is told to push actuator health into the gRPC health service
 * while the starter's server health owns it (see {@link SpringGrpcServerHealthDefaults} for the
 * precedence): both would set the same statuses, and Boot's push would undo NOT_SERVING while the
 * application refuses traffic.
 */
final class SpringGrpcServerHealthOwnershipCheck {

    static final String SERVICE_PREFIX = "spring.grpc.server.health.service";
    private static final String OURS = GrpcResilienceProperties.PREFIX + ".server.health.services";

    private SpringGrpcServerHealthOwnershipCheck() {
    }

    static void check(ConfiguredProperties configured) {
        if (configured.get(SpringGrpcServerHealthDefaults.SCHEDULE_ENABLED, Boolean.class).orElse(false)) {
            throw new InvalidGrpcResiliencePropertyException(SpringGrpcServerHealthDefaults.SCHEDULE_ENABLED, true,
                    "Spring Boot's health push would overwrite the gRPC health statuses the starter sets from "
                            + OURS + " and readiness (it would turn them SERVING again while the application"
                            + " refuses traffic or shuts down)",
                    "Remove " + SpringGrpcServerHealthDefaults.SCHEDULE_ENABLED + " and map health service names"
                            + " to actuator contributors or groups with " + OURS + ".<name>.include, or set"
                            + " grpc.resilience.enabled=false to keep Spring Boot's gRPC health.");
        }
        Set<String> services = configured.mapKeys(SERVICE_PREFIX);
        if (!services.isEmpty()) {
            String first = services.iterator().next();
            String property = ConfiguredProperties.entry(SERVICE_PREFIX, first, "include");
            throw new InvalidGrpcResiliencePropertyException(property,
                    configured.get(property, String.class).orElse(""),
                    "the starter owns the gRPC health statuses, so Spring Boot's health push is off and "
                            + SERVICE_PREFIX + " " + services + " would have no effect",
                    "Map the service with " + ConfiguredProperties.entry(OURS, first, "include")
                            + " instead (same actuator contributor or group names) and remove " + SERVICE_PREFIX
                            + ".*, or set grpc.resilience.enabled=false to keep Spring Boot's gRPC health.");
        }
    }
}
