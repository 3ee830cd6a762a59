package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.testing.FaultInjectingProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
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
@ContextConfiguration(initializers = ControlPlaneThroughProxy.class)
class AgentAckDeliveryTest {

    @Autowired
    private FaultInjectingProxy proxy;

    @Autowired
    private Agent agent;

    @Autowired
    private ControlPlaneService controlPlane;

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
