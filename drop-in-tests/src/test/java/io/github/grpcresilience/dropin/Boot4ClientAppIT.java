package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * boot4-client-app: a non-web application on Spring Boot 4.1 with actuator and Boot's gRPC client
 * only; a stub from {@code @ImportGrpcClients(target = "backend")} asks a backend's gRPC health
 * service how it is once a second. With the starter added (which brings grpc-services) it still
 * starts no gRPC server of its own. The backend is a grpc-java server in the test JVM; the health
 * endpoint is read over JMX ({@link JmxHealth}).
 */
class Boot4ClientAppIT {

    private AppProcess app;
    private Server backend;

    @AfterEach
    void stop() throws InterruptedException {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (backend != null) {
                backend.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void callsItsBackendReportsTheChannelOverJmxAndStops() throws Exception {
        backend = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new HealthStatusManager().getHealthService())
                .build()
                .start();
        app = AppProcess.start("boot4-client-app", List.of(
                "--spring.grpc.client.channel.backend.target=static://127.0.0.1:" + backend.getPort(),
                "--spring.jmx.enabled=true", Calls.SHOW_COMPONENTS)).awaitStarted();
        assertThat(app.log()).doesNotContain("gRPC Server started");

        // On the scheduler Spring Boot auto-configures ("scheduling-N"; the logger name is abbreviated).
        app.awaitLog(Pattern.compile("\\[\\s*scheduling-1\\] \\S*\\.BackendChecker\\s+: backend status: SERVING"));

        Map<?, ?> health = JmxHealth.of(app.pid());
        assertThat(health.get("status")).as("%s", health).isEqualTo("UP");
        assertThat(JmxHealth.status(health, "grpcChannels")).as("%s", health).isEqualTo("UP");
        assertThat(JmxHealth.status(health, "grpcChannels", "backend")).as("%s", health).isEqualTo("UP");

        app.stopCleanly();
    }
}
