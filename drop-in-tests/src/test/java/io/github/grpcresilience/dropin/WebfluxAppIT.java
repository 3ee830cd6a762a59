package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * webflux-app: WebFlux (Reactor Netty on the Netty 4.1 Spring Boot manages) + actuator + net.devh
 * server only, with both Netty flavours: the user's unshaded grpc-netty next to the starter's
 * grpc-netty-shaded. The net.devh server starter is declared by the user, so the app imports
 * io.grpc:grpc-bom (see {@link MixedVersionsAppIT} for the same app without it).
 */
class WebfluxAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesAndStopsWithBothNettyFlavours() {
        app = AppProcess.start("webflux-app", List.of("--server.port=0", "--grpc.server.port=0", Calls.SHOW_COMPONENTS))
                .awaitStarted();
        int grpcPort = app.grpcPort();
        int httpPort = app.httpPort();
        // With both flavours net.devh picks the shaded one, the starter's default.
        assertThat(app.log()).contains("Detected grpc-netty-shaded: Creating ShadedNettyGrpcServerFactory");

        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "reactive")).isEqualTo("Hello reactive");

        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(Calls.status(health, "$")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcServer")).isEqualTo("UP");
        // A server-only application has no channel, and Boot leaves an empty composite out.
        assertThat(Calls.componentNames(health)).doesNotContain("grpcChannels");
        assertThat(Calls.get(httpPort, "/actuator/health/readiness").status()).isEqualTo(404);

        app.stopCleanly();
    }
}
