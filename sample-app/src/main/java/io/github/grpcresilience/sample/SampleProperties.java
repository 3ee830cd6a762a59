package io.github.grpcresilience.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the sample application. */
@ConfigurationProperties("sample")
public class SampleProperties {

    /** How often the control plane pushes a config update to its subscribers. */
    private Duration pushInterval = Duration.ofSeconds(5);

    /** How long the agent waits before it re-opens a broken subscription. */
    private Duration resubscribeDelay = Duration.ofSeconds(2);

    /** The agent's identity. */
    private String agentId = "agent-1";

    public Duration getPushInterval() {
        return pushInterval;
    }

    public void setPushInterval(Duration pushInterval) {
        this.pushInterval = pushInterval;
    }

    public Duration getResubscribeDelay() {
        return resubscribeDelay;
    }

    public void setResubscribeDelay(Duration resubscribeDelay) {
        this.resubscribeDelay = resubscribeDelay;
    }

    public String getAgentId() {
        return agentId;
    }

    public void setAgentId(String agentId) {
        this.agentId = agentId;
    }
}
