package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * boot4-servlet-app: Spring MVC + actuator + Spring Boot 4.1's own gRPC server (Netty, its own
 * port) and client, its greeter served over gRPC and, through the stub
 * {@code @ImportGrpcClients(target = "greeter")} makes, over HTTP. Spring Boot 4 has the liveness
 * and readiness groups on by default (Boot 3.5 only on Kubernetes or by property), so Boot's
 * defaults are the case where readiness must follow the channels: the second run points the
 * greeter channel where nothing listens.
 */
class Boot4ServletAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesReportsItsChannelAndServerAndStops() {
        int grpcPort = start(0);
        int httpPort = app.httpPort();

        assertServesGrpc(grpcPort);
        Calls.Http hello = Calls.get(httpPort, "/hello?name=web");
        assertThat(hello).isEqualTo(new Calls.Http(200, "Hello web"));

        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(Calls.status(health, "$")).isEqualTo("UP");
        assertThat(Calls.componentNames(health)).as(health.body()).contains("grpcChannels", "grpcServer");
        assertThat(Calls.status(health, "$.components.grpcChannels.components.greeter")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcServer")).isEqualTo("UP");
        assertThat(Calls.get(httpPort, "/actuator/health/readiness")).isEqualTo(new Calls.Http(200, "{\"status\":\"UP\"}"));
        // grpc.health.v1 names the starter serves beside Boot's own "" (the server as a whole).
        assertThat(Calls.healthCheck(grpcPort, "liveness")).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.healthCheck(grpcPort, "readiness")).isEqualTo(ServingStatus.SERVING);

        app.stopCleanly();
    }

    @Test
    void readinessFollowsTheChannelsAndLivenessDoesNotWithBootDefaults() {
        int grpcPort = start(AppProcess.freePort());
        int httpPort = app.httpPort();

        assertServesGrpc(grpcPort);
        Probes.assertReadinessFollowsTheGreeterAndLivenessDoesNot(httpPort);
        app.awaitLog(Probes.DEAD_GREETER_WARN);

        app.stopCleanly(Probes.DEAD_GREETER_WARN);
    }

    /**
     * Starts the jar; its greeter channel points at the application's own server, or, with a
     * {@code greeterPort}, at a port where nothing listens.
     */
    private int start(int greeterPort) {
        int grpcPort = AppProcess.freePort();
        app = AppProcess.start("boot4-servlet-app", List.of("--server.port=0", "--spring.grpc.server.port=" + grpcPort,
                "--spring.grpc.client.channel.greeter.target=static://127.0.0.1:"
                        + (greeterPort == 0 ? grpcPort : greeterPort),
                Calls.SHOW_COMPONENTS)).awaitStarted();
        return grpcPort;
    }

    private static void assertServesGrpc(int grpcPort) {
        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "grpc")).isEqualTo("Hello grpc");
    }
}
