package io.github.grpcresilience.boot4sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the sample application. */
@ConfigurationProperties("sample")
public class SampleProperties {

    /** How often the control plane pushes a config update to its subscribers. */
    private Duration pushInterval = Duration.ofSeconds(5);

    /** The agent's identity. */
    private String agentId = "agent-1";

    public Duration getPushInterval() {
        return pushInterval;
    }

    public void setPushInterval(Duration pushInterval) {
        this.pushInterval = pushInterval;
    }

    public String getAgentId() {
        return agentId;
    }

    public void setAgentId(String agentId) {
        this.agentId = agentId;
    }
}
