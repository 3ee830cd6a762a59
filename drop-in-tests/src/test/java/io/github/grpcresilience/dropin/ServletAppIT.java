package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * servlet-app: Spring MVC + actuator + net.devh server and client (grpc-netty-shaded, the default),
 * its greeter served over gRPC and, through its own {@code @GrpcClient("greeter")}, over HTTP.
 * The same jar runs three ways: Boot's defaults (no probes), probes switched on by property, and
 * "on Kubernetes" (the two environment variables Boot's cloud-platform detection reads); in the
 * last two its greeter channel points where nothing listens, to see readiness (not liveness) follow it.
 */
class ServletAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void startsServesAndStopsWithBootDefaults() {
        int grpcPort = start(List.of(), Map.of());
        int httpPort = app.httpPort();

        assertServes(grpcPort, httpPort);
        // Boot's default outside Kubernetes: no probes, no readiness group to join, and the
        // application starts (it did not before the starter checked that the group exists).
        assertThat(Calls.get(httpPort, "/actuator/health/readiness").status()).isEqualTo(404);
        assertThat(Calls.get(httpPort, "/actuator/health/liveness").status()).isEqualTo(404);

        app.stopCleanly();
    }

    @Test
    void readinessFollowsTheChannelsAndLivenessDoesNotWithProbesEnabled() {
        int deadPort = AppProcess.freePort();
        int grpcPort = start(List.of("--management.endpoint.health.probes.enabled=true"), Map.of(), deadPort);
        int httpPort = app.httpPort();

        assertServesGrpc(grpcPort);
        Probes.assertReadinessFollowsTheGreeterAndLivenessDoesNot(httpPort);
        app.awaitLog(Probes.DEAD_GREETER_WARN);

        app.stopCleanly(Probes.DEAD_GREETER_WARN);
    }

    @Test
    void readinessFollowsTheChannelsAndLivenessDoesNotOnKubernetes() {
        int deadPort = AppProcess.freePort();
        // Boot's CloudPlatform.KUBERNETES detection; nothing ever connects to this address.
        int grpcPort = start(List.of(), Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "443"),
                deadPort);
        int httpPort = app.httpPort();

        assertServesGrpc(grpcPort);
        Probes.assertReadinessFollowsTheGreeterAndLivenessDoesNot(httpPort);
        app.awaitLog(Probes.DEAD_GREETER_WARN);

        app.stopCleanly(Probes.DEAD_GREETER_WARN);
    }

    private int start(List<String> extra, Map<String, String> environment) {
        return start(extra, environment, 0);
    }

    /**
     * Starts the jar; its greeter client calls the application's own server, or, with a
     * {@code greeterPort}, a port where nothing listens.
     */
    private int start(List<String> extra, Map<String, String> environment, int greeterPort) {
        int grpcPort = AppProcess.freePort();
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--grpc.server.port=" + grpcPort,
                "--grpc.client.greeter.address=static://127.0.0.1:" + (greeterPort == 0 ? grpcPort : greeterPort),
                Calls.SHOW_COMPONENTS));
        arguments.addAll(extra);
        app = AppProcess.start("servlet-app", arguments, environment).awaitStarted();
        return grpcPort;
    }

    private static void assertServesGrpc(int grpcPort) {
        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "grpc")).isEqualTo("Hello grpc");
    }

    private static void assertServes(int grpcPort, int httpPort) {
        assertServesGrpc(grpcPort);
        Calls.Http hello = Calls.get(httpPort, "/hello?name=web");
        assertThat(hello.status()).as(hello.body()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello web");

        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(Calls.status(health, "$")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcChannels")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcChannels.components.greeter")).isEqualTo("UP");
    }
}
