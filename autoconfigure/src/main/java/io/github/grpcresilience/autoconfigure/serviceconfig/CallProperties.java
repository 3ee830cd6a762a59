package io.github.grpcresilience.autoconfigure.serviceconfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to a call: retry or hedging, deadline, wait-for-ready. Set for every method of a
 * channel ({@code grpc.resilience.client.defaults.*}, {@code channels.<name>.*}) and per method
 * ({@code methods."[package.Service/Method]".*}), field by field on top of the wider setting.
 */
public class CallProperties {

    /** Retry of failed attempts; applies to every method unless hedging or a method entry says otherwise. */
    private final Retry retry = new Retry();

    /** Hedging: parallel copies of slow calls; only for idempotent methods, exclusive with retry. */
    private final Hedging hedging = new Hedging();

    /**
     * Default deadline of each call; unset means none (a call's own earlier deadline always
     * applies). On a channel or the defaults it applies to unary calls only, so that long-lived
     * streams are not ended; in a method entry it applies to every call of that method, streams
     * included, and wins over the channel's.
     */
    private Duration timeout;

    /** Whether calls wait for a connection instead of failing at once with UNAVAILABLE while there is none. */
    private boolean waitForReady = false;

    public Retry getRetry() {
        return retry;
    }

    public Hedging getHedging() {
        return hedging;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public boolean isWaitForReady() {
        return waitForReady;
    }

    public void setWaitForReady(boolean waitForReady) {
        this.waitForReady = waitForReady;
    }

    /** gRPC retry policy. */
    public static class Retry {

        /**
         * Whether failed attempts are retried. A server that did the work but died before answering
         * makes a retry a second execution: switch it off for non-idempotent methods.
         */
        private boolean enabled = true;

        /** Attempts in total, including the first; at least 2 and at most limits.max-retry-attempts. */
        private int maxAttempts = 3;

        /** Upper bound of the first backoff; each backoff is random between 0 and its bound. */
        private Duration initialBackoff = Duration.ofMillis(100);

        /** Cap of the backoff bound. */
        private Duration maxBackoff = Duration.ofSeconds(2);

        /** Growth of the backoff bound per attempt. */
        private double backoffMultiplier = 2.0;

        /** Status codes that lead to another attempt (names such as UNAVAILABLE). */
        private List<String> retryableStatusCodes = new ArrayList<>(List.of("UNAVAILABLE"));

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

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

        public double getBackoffMultiplier() {
            return backoffMultiplier;
        }

        public void setBackoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
        }

        public List<String> getRetryableStatusCodes() {
            return retryableStatusCodes;
        }

        public void setRetryableStatusCodes(List<String> retryableStatusCodes) {
            this.retryableStatusCodes = retryableStatusCodes;
        }
    }

    /** gRPC hedging policy. */
    public static class Hedging {

        /** Whether slow calls are hedged; where it is on, retry is off. */
        private boolean enabled = false;

        /** Copies in total, including the first; at least 2 and at most limits.max-hedged-attempts. */
        private int maxAttempts = 2;

        /** Time after which the next copy is sent while no copy has answered; required when enabled. */
        private Duration delay;

        /** Status codes that do not cancel the other copies (names such as UNAVAILABLE). */
        private List<String> nonFatalStatusCodes = new ArrayList<>(List.of("UNAVAILABLE"));

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getDelay() {
            return delay;
        }

        public void setDelay(Duration delay) {
            this.delay = delay;
        }

        public List<String> getNonFatalStatusCodes() {
            return nonFatalStatusCodes;
        }

        public void setNonFatalStatusCodes(List<String> nonFatalStatusCodes) {
            this.nonFatalStatusCodes = nonFatalStatusCodes;
        }
    }
}
