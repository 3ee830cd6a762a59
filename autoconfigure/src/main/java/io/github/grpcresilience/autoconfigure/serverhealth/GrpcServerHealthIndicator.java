package io.github.grpcresilience.autoconfigure.serverhealth;

import java.util.TreeMap;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code grpcServer}: UP while the gRPC server serves, OUT_OF_SERVICE once shutdown has begun,
 * UNKNOWN before it started; details: its port and every health service name's status.
 */
final class GrpcServerHealthIndicator extends AbstractHealthIndicator {

    private final GrpcHealthBridge bridge;

    GrpcServerHealthIndicator(GrpcHealthBridge bridge) {
        super("gRPC server health check failed");
        this.bridge = bridge;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (bridge.port() < 0) {
            builder.unknown();
        } else if (bridge.isTerminal()) {
            builder.outOfService();
        } else {
            builder.up();
        }
        builder.withDetail("port", bridge.port()).withDetail("services", new TreeMap<>(bridge.statuses()));
    }
}
