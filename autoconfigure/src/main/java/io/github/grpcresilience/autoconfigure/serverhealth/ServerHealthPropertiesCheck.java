package io.github.grpcresilience.autoconfigure.serverhealth;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.keepalive.Durations;
import java.time.Duration;
import java.util.List;

/** Startup checks of {@code grpc.resilience.server.health.*} and {@code .shutdown.*}. */
final class ServerHealthPropertiesCheck {

    private static final String PREFIX = GrpcResilienceProperties.PREFIX + ".server.";
    /** What the process needs after the grace period: the server's last steps, channels, the JVM. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

    private ServerHealthPropertiesCheck() {
    }

    static void check(GrpcResilienceProperties.Server server) {
        PropertyChecks.positive(PREFIX + "health.refresh-interval", server.getHealth().getRefreshInterval(), "5s");
        PropertyChecks.notNegative(PREFIX + "shutdown.drain-delay", server.getShutdown().getDrainDelay(), "5s");
        PropertyChecks.positive(PREFIX + "shutdown.grace-period", server.getShutdown().getGracePeriod(), "30s");
        checkTerminationBudget(server.getShutdown());
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

    /** Drain delay + grace period + a margin must fit in the platform's termination grace period. */
    private static void checkTerminationBudget(GrpcResilienceProperties.Server.Shutdown shutdown) {
        Duration termination = shutdown.getTerminationGracePeriod();
        if (termination == null) {
            return;
        }
        String property = PREFIX + "shutdown.termination-grace-period";
        PropertyChecks.positive(property, termination, "45s");
        Duration needed = shutdown.getDrainDelay().plus(shutdown.getGracePeriod()).plus(SHUTDOWN_MARGIN);
        if (needed.compareTo(termination) > 0) {
            throw new InvalidGrpcResiliencePropertyException(property, Durations.format(termination),
                    "the shutdown needs up to " + Durations.format(needed) + ": " + PREFIX + "shutdown.drain-delay ("
                            + Durations.format(shutdown.getDrainDelay()) + ") + " + PREFIX + "shutdown.grace-period ("
                            + Durations.format(shutdown.getGracePeriod()) + ") + " + Durations.format(SHUTDOWN_MARGIN)
                            + " for the rest, so the platform would kill the process while calls still run",
                    "Raise the termination grace period of the platform (Kubernetes: terminationGracePeriodSeconds) and "
                            + property + " to at least " + Durations.format(needed) + ", or lower " + PREFIX
                            + "shutdown.grace-period.");
        }
    }
}
