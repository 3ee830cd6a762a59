package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * quickstart-app: a fresh Spring Boot 3.5 application (web + actuator) with the README's Quick
 * start dependency and its configuration word for word, and nothing else gRPC-specific. Its
 * {@code @GrpcClient("inventory")} is pointed at its own server on the command line (the README's
 * {@code dns:///inventory:9090} names a host this machine does not have).
 */
class QuickStartAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesReportsItsChannelAndStops() {
        int grpcPort = AppProcess.freePort();
        app = AppProcess.start("quickstart-app", List.of("--server.port=0", "--grpc.server.port=" + grpcPort,
                "--grpc.client.inventory.address=static://127.0.0.1:" + grpcPort, Calls.SHOW_COMPONENTS)).awaitStarted();
        int httpPort = app.httpPort();

        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        Calls.Http inventory = Calls.get(httpPort, "/inventory/status");
        assertThat(inventory).isEqualTo(new Calls.Http(200, "SERVING"));

        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(Calls.status(health, "$.components.grpcChannels")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcChannels.components.inventory")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcServer")).isEqualTo("UP");
        assertThat(Calls.get(httpPort, "/actuator/health/readiness").status()).isEqualTo(404);

        app.stopCleanly();
    }
}
