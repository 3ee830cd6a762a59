package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * boot4-webflux-app: WebFlux + actuator + Spring Boot 4.1's own gRPC server only: Reactor Netty and
 * grpc-netty share the one Netty 4.2 of the application. Both ports are ephemeral
 * ({@code spring.grpc.server.port=0}) and read from the log.
 */
class Boot4WebfluxAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesReportsItsServerAndStops() {
        app = AppProcess.start("boot4-webflux-app",
                List.of("--server.port=0", "--spring.grpc.server.port=0", Calls.SHOW_COMPONENTS)).awaitStarted();
        int grpcPort = app.grpcPort();
        int httpPort = app.httpPort();

        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "reactive")).isEqualTo("Hello reactive");

        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(Calls.status(health, "$")).isEqualTo("UP");
        // A server-only application has no channel, and Boot leaves an empty composite out.
        assertThat(Calls.componentNames(health)).as(health.body()).doesNotContain("grpcChannels");
        assertThat(Calls.componentNames(health)).as(health.body()).contains("grpcServer");
        assertThat(Calls.status(health, "$.components.grpcServer")).isEqualTo("UP");
        // grpc.health.v1 names the starter serves beside Boot's own "" (the server as a whole).
        assertThat(Calls.healthCheck(grpcPort, "liveness")).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.healthCheck(grpcPort, "readiness")).isEqualTo(ServingStatus.SERVING);

        app.stopCleanly();
    }
}
