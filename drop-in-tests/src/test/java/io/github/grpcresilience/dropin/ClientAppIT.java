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
 * client-app: a non-web application with actuator and net.devh's client starter only, which asks
 * a backend's gRPC health service how it is once a second; with the starter added it still starts
 * no gRPC server of its own. The backend is a grpc-java server in
 * the test JVM. With no web server the health endpoint is read over JMX ({@link JmxHealth}).
 */
class ClientAppIT {

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
        app = AppProcess.start("client-app", List.of(
                "--grpc.client.backend.address=static://127.0.0.1:" + backend.getPort(),
                "--spring.jmx.enabled=true", Calls.SHOW_COMPONENTS)).awaitStarted();
        // A client-only application stays one: the starter brings net.devh's client starter, no server.
        assertThat(app.log()).doesNotContain("gRPC Server started");

        // The application's @Scheduled check runs on the scheduler Spring Boot auto-configures for
        // it ("scheduling-N" threads, spring.task.scheduling.*), as it did before the starter.
        app.awaitLog(Pattern.compile("\\[\\s*scheduling-1\\] com\\.example\\.client\\.BackendChecker\\s+: backend status: SERVING"));
        assertThat(app.log()).doesNotContain("More than one ScheduledExecutorService bean exists");

        Map<?, ?> health = JmxHealth.of(app.pid());
        assertThat(health.get("status")).as("%s", health).isEqualTo("UP");
        assertThat(JmxHealth.status(health, "grpcChannels")).as("%s", health).isEqualTo("UP");
        assertThat(JmxHealth.status(health, "grpcChannels", "backend")).as("%s", health).isEqualTo("UP");

        app.stopCleanly();
    }
}
