package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.stream.StreamSupervisor;
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
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * The baseline agent ({@code sample.reconnect=resubscribe-loop}, starter switched off) through a
 * fault-injecting proxy on loopback: it subscribes, acks what it receives (the control plane
 * counts the acks per agent), its config checks fail while the path is frozen, and after a reset
 * it subscribes again by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "grpc.resilience.enabled=false", "sample.reconnect=resubscribe-loop", "sample.config-check-interval=200ms",
        "grpc.server.address=127.0.0.1", "sample.push-interval=200ms",
        "grpc.server.shutdown-grace-period=0s", "grpc.client.control-plane.shutdown-grace-period=0s"})
@ContextConfiguration(initializers = ResubscribeLoopAgentTest.ThroughProxy.class)
class ResubscribeLoopAgentTest {

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
    private ResubscribeLoopAgent agent;

    @Autowired
    private ControlPlaneService controlPlane;

    @Autowired
    private ConfigCheck configCheck;

    @Autowired
    private ApplicationContext context;

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void subscribesAcksAndSubscribesAgainAfterTheConnectionIsReset() {
        assertThat(context.getBeansOfType(Agent.class)).isEmpty();
        assertThat(context.getBeansOfType(StreamSupervisor.class)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.updatesReceived() >= 2
                && controlPlane.acksReceived("agent-1") >= 2 && configCheck.succeeded() >= 2);

        proxy.freeze();
        await().atMost(Duration.ofSeconds(15)).until(() -> configCheck.failed() >= 1);
        proxy.pass();
        proxy.reset();

        long updates = agent.updatesReceived();
        long acks = controlPlane.acksReceived("agent-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.updatesReceived() >= updates + 3
                && controlPlane.acksReceived("agent-1") > acks);
        assertThat(agent.acksAccepted()).isGreaterThanOrEqualTo(controlPlane.acksReceived("agent-1"));
    }
}
