package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.stream.StreamSupervisor;
import io.github.grpcresilience.testing.FaultInjectingProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
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
@ContextConfiguration(initializers = ControlPlaneThroughProxy.class)
class ResubscribeLoopAgentTest {

    @Autowired
    private FaultInjectingProxy proxy;

    @Autowired
    private ResubscribeLoopAgent agent;

    @Autowired
    private ControlPlaneService controlPlane;

    @Autowired
    private ConfigCheck configCheck;

    @Autowired
    private ApplicationContext context;

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
