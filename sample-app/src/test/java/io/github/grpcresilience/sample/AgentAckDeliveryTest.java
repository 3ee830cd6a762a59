package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.testing.FaultInjectingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * The agent's acks survive a connection that swallows them: through a fault-injecting proxy that
 * {@code cut}s the agent's bytes (the control plane's pushes still arrive and are acked, the acks
 * never arrive), then resets the connection. The control plane confirms acks in its updates
 * ({@code acked_through}), so the stream writes the swallowed ones again after the reconnect and
 * every accepted ack is received or handed back; without confirmation they would be lost unknown.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "grpc.server.address=127.0.0.1", "sample.push-interval=200ms",
        "grpc.server.shutdown-grace-period=0s", "grpc.client.control-plane.shutdown-grace-period=0s",
        "grpc.resilience.server.shutdown.drain-delay=0s", "grpc.resilience.server.shutdown.grace-period=1s"})
@ContextConfiguration(initializers = AgentAckDeliveryTest.ThroughProxy.class)
class AgentAckDeliveryTest {

    private static FaultInjectingProxy proxy;

    /** The server on a free loopback port; the agent's channel goes through the proxy to it. */
    static class ThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                socket.close();
                proxy = FaultInjectingProxy.start("127.0.0.1", port);
                TestPropertyValues.of("grpc.server.port=" + port,
                        "grpc.client.control-plane.address=static://127.0.0.1:" + proxy.port()).applyTo(context);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    @Autowired
    private Agent agent;

    @Autowired
    private ControlPlaneService controlPlane;

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void acksSwallowedByABrokenConnectionAreWrittenAgainAfterTheReconnect() {
        await().atMost(Duration.ofSeconds(30)).until(() -> controlPlane.acksReceived("agent-1") >= 3);

        proxy.cut();
        long received = controlPlane.acksReceived("agent-1");
        long accepted = agent.acksAccepted();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.acksAccepted() >= accepted + 3);
        assertThat(controlPlane.acksReceived("agent-1")).as("the cut swallows acks").isLessThanOrEqualTo(received + 1);
        proxy.reset();

        await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.acksReceived("agent-1")
                >= agent.acksAccepted() - agent.acksUnsent() && agent.acksAccepted() >= accepted + 6);
        assertThat(agent.acksUnsent()).isZero();
    }
}
