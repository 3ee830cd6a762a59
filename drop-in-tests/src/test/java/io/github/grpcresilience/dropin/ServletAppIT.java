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
 * "on Kubernetes" (the two environment variables Boot's cloud-platform detection reads).
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
    void joinsReadinessNotLivenessWithProbesEnabled() {
        int grpcPort = start(List.of("--management.endpoint.health.probes.enabled=true"), Map.of());
        int httpPort = app.httpPort();

        assertServes(grpcPort, httpPort);
        assertReadinessHasChannelsAndLivenessHasNot(httpPort);

        app.stopCleanly();
    }

    @Test
    void joinsReadinessNotLivenessOnKubernetes() {
        // Boot's CloudPlatform.KUBERNETES detection; nothing ever connects to this address.
        int grpcPort = start(List.of(), Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "443"));
        int httpPort = app.httpPort();

        assertServes(grpcPort, httpPort);
        assertReadinessHasChannelsAndLivenessHasNot(httpPort);

        app.stopCleanly();
    }

    private int start(List<String> extra, Map<String, String> environment) {
        // The application's client calls its own server, so the test picks the port for both.
        int grpcPort = AppProcess.freePort();
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--grpc.server.port=" + grpcPort,
                "--grpc.client.greeter.address=static://127.0.0.1:" + grpcPort, Calls.SHOW_COMPONENTS));
        arguments.addAll(extra);
        app = AppProcess.start("servlet-app", arguments, environment).awaitStarted();
        return grpcPort;
    }

    private static void assertServes(int grpcPort, int httpPort) {
        assertThat(Calls.healthCheck(grpcPort)).isEqualTo(ServingStatus.SERVING);
        assertThat(Calls.sayHello(grpcPort, "grpc")).isEqualTo("Hello grpc");
        Calls.Http hello = Calls.get(httpPort, "/hello?name=web");
        assertThat(hello.status()).as(hello.body()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello web");

        Calls.Http health = Calls.get(httpPort, "/actuator/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(Calls.status(health, "$")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcChannels")).isEqualTo("UP");
        assertThat(Calls.status(health, "$.components.grpcChannels.components.greeter")).isEqualTo("UP");
    }

    private static void assertReadinessHasChannelsAndLivenessHasNot(int httpPort) {
        Calls.Http readiness = Calls.get(httpPort, "/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(Calls.componentNames(readiness)).contains("readinessState", "grpcChannels");
        assertThat(Calls.status(readiness, "$.components.grpcChannels.components.greeter")).isEqualTo("UP");
        Calls.Http liveness = Calls.get(httpPort, "/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
        assertThat(Calls.componentNames(liveness)).contains("livenessState").doesNotContain("grpcChannels");
    }
}
