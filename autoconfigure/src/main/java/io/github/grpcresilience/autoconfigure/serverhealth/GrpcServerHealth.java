package io.github.grpcresilience.autoconfigure.serverhealth;

import io.github.grpcresilience.autoconfigure.health.HealthReport;
import io.github.grpcresilience.autoconfigure.health.HealthSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code grpcServer}: UP while the gRPC server serves, OUT_OF_SERVICE once shutdown has begun,
 * UNKNOWN before it started; details: its port and every health service name's status, as the
 * {@link GrpcHealthBridge} last set them. Each Spring Boot version's health glue maps it to an indicator.
 */
public final class GrpcServerHealth implements HealthSource {

    private final GrpcHealthBridge bridge;

    public GrpcServerHealth(GrpcHealthBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public HealthReport report() {
        int port = bridge.port();
        HealthReport.Status status;
        if (port < 0) {
            status = HealthReport.Status.UNKNOWN;
        } else if (bridge.isTerminal()) {
            status = HealthReport.Status.OUT_OF_SERVICE;
        } else {
            status = HealthReport.Status.UP;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("port", port);
        details.put("services", new TreeMap<>(bridge.statuses()));
        return new HealthReport(status, details);
    }
}
