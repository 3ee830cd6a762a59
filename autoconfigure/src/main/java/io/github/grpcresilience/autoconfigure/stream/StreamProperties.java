package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.stream.OverflowPolicy;
import io.grpc.Status;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of one resilient stream. The same class holds {@code grpc.resilience.streams.defaults}
 * and each {@code grpc.resilience.streams.instances.<name>} entry; a stream's effective settings
 * are the defaults with the instance's own keys bound on top, field by field.
 */
public class StreamProperties {

    /** How a broken stream is re-opened. */
    private final Reconnect reconnect = new Reconnect();

    /** Messages sent while the stream is down. */
    private final OutboundBuffer outboundBuffer = new OutboundBuffer();

    /** How the stream maps to actuator health. */
    private final Health health = new Health();

    public Reconnect getReconnect() {
        return reconnect;
    }

    public OutboundBuffer getOutboundBuffer() {
        return outboundBuffer;
    }

    public Health getHealth() {
        return health;
    }

    /** Reconnect backoff and triggers. */
    public static class Reconnect {

        /** Delay before the first reconnect attempt after a break. */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /** Longest delay between attempts. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** Growth of the delay per attempt (at least 1). */
        private double multiplier = 1.6;

        /** Relative random spread of each delay, from 0 to 1, so clients do not reconnect in lock-step. */
        private double jitter = 0.2;

        /** Attempts after one break before the stream FAILS; 0 means unlimited. */
        private int maxAttempts = 0;

        /**
         * While the stream waits on a channel that is not READY, the channel's connect backoff is reset
         * (or an IDLE channel asked to connect) this often, with the jitter above: a server that comes
         * back is noticed within about this interval instead of after grpc-java's own backoff (up to 120 s).
         */
        private Duration checkInterval = Duration.ofSeconds(2);

        /** A stream HEALTHY this long starts its next break from the first backoff step again. */
        private Duration healthyReset = Duration.ofSeconds(10);

        /**
         * Statuses that make the stream reconnect. CANCELLED counts only when the application did not
         * cancel, RESOURCE_EXHAUSTED only for too_many_pings, INTERNAL only for an RST_STREAM.
         */
        private Set<Status.Code> retryableStatusCodes = new LinkedHashSet<>(List.of(Status.Code.UNAVAILABLE,
                Status.Code.CANCELLED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL));

        /**
         * Reconnect events that may wait at once, shared by all streams (only the defaults value
         * counts); a stream whose event does not fit FAILS.
         */
        private int queueCapacity = 10_000;

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }

        public Duration getHealthyReset() {
            return healthyReset;
        }

        public void setHealthyReset(Duration healthyReset) {
            this.healthyReset = healthyReset;
        }

        public Set<Status.Code> getRetryableStatusCodes() {
            return retryableStatusCodes;
        }

        public void setRetryableStatusCodes(Set<Status.Code> retryableStatusCodes) {
            this.retryableStatusCodes = retryableStatusCodes;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }
    }

    /** The bounded buffer for messages sent while the stream is down. */
    public static class OutboundBuffer {

        /** Messages kept while the stream is down. */
        private int capacity = 1000;

        /** What send does when the buffer is full: FAIL (throw), DROP_OLDEST (counted) or BLOCK. */
        private OverflowPolicy overflow = OverflowPolicy.FAIL;

        /** How long send waits for room under BLOCK before it throws. */
        private Duration blockTimeout = Duration.ofSeconds(5);

        public int getCapacity() {
            return capacity;
        }

        public void setCapacity(int capacity) {
            this.capacity = capacity;
        }

        public OverflowPolicy getOverflow() {
            return overflow;
        }

        public void setOverflow(OverflowPolicy overflow) {
            this.overflow = overflow;
        }

        public Duration getBlockTimeout() {
            return blockTimeout;
        }

        public void setBlockTimeout(Duration blockTimeout) {
            this.blockTimeout = blockTimeout;
        }
    }

    /** Health of the stream in {@code /actuator/health/grpcStreams/<name>}. */
    public static class Health {

        /** How long a stream may be UNHEALTHY or RECONNECTING before it reports DOWN. */
        private Duration unhealthyGrace = Duration.ofSeconds(30);

        public Duration getUnhealthyGrace() {
            return unhealthyGrace;
        }

        public void setUnhealthyGrace(Duration unhealthyGrace) {
            this.unhealthyGrace = unhealthyGrace;
        }
    }
}
