package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.observability.GrpcEndpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code grpc} endpoint's server section on a Spring Boot 4.1 gRPC server: the port Boot's
 * server bound, each service with its gRPC health status, and the keepalive policy in force: the
 * starter's defaults, Boot's explicit {@code spring.grpc.server.keepalive.*} values over those, the
 * starter's explicit properties over Boot's.
 */
class SpringGrpcEndpointServerSectionTest {

    @Test
    @SuppressWarnings("unchecked")
    void showsBootsPortServicesWithHealthAndThePolicyInForce() {
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start(
                "management.endpoints.web.exposure.include=grpc",
                "spring.grpc.server.keepalive.permit.time=1m",
                "grpc.resilience.server.connection.max-age=10m")) {
            Map<String, Object> server = (Map<String, Object>) context.getBean(GrpcEndpoint.class).grpc().server();
            assertThat(server).containsEntry("running", true)
                    .containsEntry("port", SpringGrpcServerTestApp.port(context))
                    .containsEntry("wholeServer", "SERVING");
            assertThat((Map<String, String>) server.get("services"))
                    .containsEntry("grpc.testing.SimpleService", "SERVING").containsKey("grpc.health.v1.Health");
            // the starter's keepalive defaults replace Boot's (2 h); Boot's explicit permit wins over the starter's 10 s
            assertThat((Map<String, Object>) server.get("keepalive")).containsEntry("time", "1m")
                    .containsEntry("timeout", "20s");
            assertThat((Map<String, Object>) server.get("permitKeepalive")).containsEntry("time", "1m");
            // Boot would cut running calls 30 s after max-age; the starter's grace is unlimited
            assertThat((Map<String, Object>) server.get("connection")).containsEntry("maxAge", "10m")
                    .containsEntry("maxAgeGrace", "unlimited");
        }
    }
}
