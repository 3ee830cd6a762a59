package io.github.grpcresilience.autoconfigure.serverhealth;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import java.util.List;

/** Startup checks of {@code grpc.resilience.server.health.*} and {@code .shutdown.*}. */
final class ServerHealthPropertiesCheck {

    private static final String PREFIX = GrpcResilienceProperties.PREFIX + ".server.";

    private ServerHealthPropertiesCheck() {
    }

    static void check(GrpcResilienceProperties.Server server) {
        PropertyChecks.positive(PREFIX + "health.refresh-interval", server.getHealth().getRefreshInterval(), "5s");
        PropertyChecks.notNegative(PREFIX + "shutdown.drain-delay", server.getShutdown().getDrainDelay(), "5s");
        PropertyChecks.positive(PREFIX + "shutdown.grace-period", server.getShutdown().getGracePeriod(), "30s");
        server.getHealth().getServices().forEach((name, mapped) -> {
            String property = PREFIX + "health.services" + (name.contains(".") ? "[" + name + "]" : "." + name)
                    + ".include";
            List<String> include = mapped.getInclude();
            if (include == null || include.isEmpty() || include.stream().anyMatch(c -> c == null || c.isBlank())) {
                throw new InvalidGrpcResiliencePropertyException(property, include == null ? "" : include,
                        "a mapped health service needs at least one actuator health contributor or group name",
                        "Set " + property + " to actuator contributor or group names such as [db, readiness];"
                                + " a service name with dots needs brackets: services.\"[pkg.Service]\".include.");
            }
        });
    }
}
