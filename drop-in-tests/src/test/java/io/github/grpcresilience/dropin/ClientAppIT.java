package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * client-app: a non-web application with actuator and net.devh's client starter only, which asks
 * a backend's gRPC health service how it is once a second; with the starter added it still starts
 * no gRPC server of its own. The backend is a grpc-java server in
 * the test JVM. With no web server the health endpoint is read over JMX, as an operator would with
 * jconsole: {@code spring.jmx.enabled=true} (a deployment argument; Boot exposes only the health
 * endpoint over JMX by default) and the JDK's attach API to reach the process's platform MBean server.
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

        Map<?, ?> health = healthOverJmx(app.pid());
        assertThat(health.get("status")).as("%s", health).isEqualTo("UP");
        Map<?, ?> channels = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("grpcChannels");
        assertThat(channels).as("%s", health).isNotNull();
        assertThat(channels.get("status")).isEqualTo("UP");
        Map<?, ?> backendChannel = (Map<?, ?>) ((Map<?, ?>) channels.get("components")).get("backend");
        assertThat(backendChannel.get("status")).as("%s", health).isEqualTo("UP");

        app.stopCleanly();
    }

    /** Boot's health endpoint MBean, reached through the JMX agent the attach API starts in the process. */
    private static Map<?, ?> healthOverJmx(long pid) throws Exception {
        assertThat(pid).isNotEqualTo(ManagementFactory.getRuntimeMXBean().getPid());
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName("org.springframework.boot:type=Endpoint,name=Health");
            Object result = server.invoke(name, "health", new Object[0], new String[0]);
            assertThat(result).isInstanceOf(Map.class);
            return (Map<?, ?>) result;
        } catch (IOException e) {
            throw new IllegalStateException("JMX connection to " + address, e);
        }
    }
}
