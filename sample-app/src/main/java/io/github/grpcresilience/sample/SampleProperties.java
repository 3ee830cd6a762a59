package io.github.grpcresilience.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the sample application. */
@ConfigurationProperties("sample")
public class SampleProperties {

    /** How often the control plane pushes a config update to its subscribers. */
    private Duration pushInterval = Duration.ofSeconds(5);

    /** The agent's identity. */
    private String agentId = "agent-1";

    /**
     * How often the agent re-reads its whole configuration with the idempotent GetConfig call, as a
     * consistency check beside the stream; unset: only once, at start.
     */
    private Duration configCheckInterval;

    /**
     * How the agent keeps its config stream open: {@code supervisor} (the starter's
     * StreamSupervisor) or {@code resubscribe-loop}, the loop applications write by hand without
     * the starter (on error, subscribe again after 1 s), kept only to compare the two, e.g. with
     * {@code grpc.resilience.enabled=false}.
     */
    private Reconnect reconnect = Reconnect.SUPERVISOR;

    /** How the agent keeps its config stream open. */
    public enum Reconnect {
        /** The starter's StreamSupervisor: backoff with jitter, buffered acks, health and metrics. */
        SUPERVISOR,
        /** A hand-written loop: on error, subscribe again after a fixed 1 s; for comparisons only. */
        RESUBSCRIBE_LOOP
    }

    public Duration getPushInterval() {
        return pushInterval;
    }

    public void setPushInterval(Duration pushInterval) {
        if (pushInterval == null || pushInterval.isNegative() || pushInterval.isZero()) {
            throw new IllegalArgumentException("sample.push-interval must be positive, e.g. 1s, not " + pushInterval);
        }
        this.pushInterval = pushInterval;
    }

    public String getAgentId() {
        return agentId;
    }

    public void setAgentId(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("sample.agent-id must not be blank: set a name the control plane "
                    + "can tell agents apart by");
        }
        this.agentId = agentId;
    }

    public Duration getConfigCheckInterval() {
        return configCheckInterval;
    }

    public void setConfigCheckInterval(Duration configCheckInterval) {
        if (configCheckInterval != null && (configCheckInterval.isNegative() || configCheckInterval.isZero())) {
            throw new IllegalArgumentException("sample.config-check-interval must be positive (or unset to read the "
                    + "config only at start), not " + configCheckInterval);
        }
        this.configCheckInterval = configCheckInterval;
    }

    public Reconnect getReconnect() {
        return reconnect;
    }

    public void setReconnect(Reconnect reconnect) {
        this.reconnect = reconnect;
    }
}
