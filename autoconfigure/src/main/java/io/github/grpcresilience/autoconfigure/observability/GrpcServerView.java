package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.keepalive.ServerKeepAliveSettings;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.keepalive.ServerKeepAlivePolicy;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The server section of the {@code grpc} endpoint: port, services with their gRPC health status,
 * and the keepalive and connection-age policy in force. Learns the server from the adapter,
 * as a {@link GrpcServerListener}.
 */
final class GrpcServerView implements GrpcServerListener {

    private final AtomicReference<Server> server = new AtomicReference<>();
    private final ServerKeepAliveSettings settings;
    private final ObjectProvider<HealthStatusManager> health;

    GrpcServerView(ServerKeepAliveSettings settings, ObjectProvider<HealthStatusManager> health) {
        this.settings = settings;
        this.health = health;
    }

    @Override
    public void serverStarted(Server started) {
        server.set(started);
    }

    @Override
    public void serverStopped(Server stopped) {
        server.set(null);
    }

    Map<String, Object> describe() {
        Map<String, Object> result = new LinkedHashMap<>();
        Server running = server.get();
        result.put("running", running != null);
        if (running != null) {
            result.put("port", running.getPort());
            Map<String, String> services = new TreeMap<>();
            for (ServerServiceDefinition service : running.getServices()) {
                String name = service.getServiceDescriptor().getName();
                services.put(name, healthStatus(name));
            }
            result.put("services", services);
            result.put("wholeServer", healthStatus(""));
        }
        ServerKeepAliveSettings resolved = settings;
        ServerKeepAlivePolicy policy = resolved.policy();
        result.put("keepalive", map("time", policy.time(), "timeout", policy.timeout()));
        Map<String, Object> permit = new LinkedHashMap<>();
        permit.put("time", Durations.format(resolved.permitTime()));
        permit.put("withoutCalls", resolved.permitWithoutCalls());
        result.put("permitKeepalive", permit);
        result.put("connection", map("maxIdle", policy.maxIdle(), "maxAge", policy.maxAge(), "maxAgeGrace",
                policy.maxAgeGrace()));
        return result;
    }

    /** Durations set by the starter; {@code null} ones are left to the integration or grpc-java. */
    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            result.put((String) keyValues[i], describe((Duration) keyValues[i + 1]));
        }
        return result;
    }

    private static String describe(Duration value) {
        if (value == null) {
            return "integration or grpc-java default";
        }
        return value.equals(ServerKeepAlivePolicy.UNLIMITED_GRACE) ? "unlimited" : Durations.format(value);
    }

    /** Asks the health service in memory, as a client's Check would. */
    private String healthStatus(String service) {
        HealthStatusManager manager = health.getIfAvailable();
        if (manager == null) {
            return "NO_HEALTH_SERVICE";
        }
        BindableService bindable = manager.getHealthService();
        if (!(bindable instanceof HealthGrpc.AsyncService healthService)) {
            return "UNKNOWN";
        }
        AtomicReference<String> status = new AtomicReference<>("UNKNOWN");
        healthService.check(HealthCheckRequest.newBuilder().setService(service).build(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                status.set(response.getStatus().name());
            }

            @Override
            public void onError(Throwable t) {
                status.set(io.grpc.Status.fromThrowable(t).getCode().name());
            }

            @Override
            public void onCompleted() {
            }
        });
        return status.get();
    }
}
