package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.keepalive.ClientKeepAlivePolicy;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.pool.PoolSettings;
import io.github.grpcresilience.serviceconfig.MethodName;
import io.github.grpcresilience.serviceconfig.ServiceConfig;
import io.github.grpcresilience.serviceconfig.UnaryDeadlineInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the starter applies to one channel, resolved once from {@code client.defaults}, the
 * channel's own {@code client.channels.<name>} keys and the underlying starter's explicit
 * properties, and validated. Immutable, apart from {@link #properties()}, which nobody mutates.
 *
 * @param name the channel (client) name
 * @param prefix the display prefix of its properties, e.g. {@code grpc.resilience.client.channels.inventory}
 * @param properties the starter's properties of the channel: the defaults with the channel's keys bound on top
 * @param keepAlive the two keepalive layers and idle timeout
 * @param calls what happens to calls: the service config, limits, deadlines, re-resolution
 * @param pool the channel pool, empty when {@code pool.max-size} is 1
 */
public record ChannelSettings(String name, String prefix, ChannelProperties properties, KeepAlive keepAlive,
        Calls calls, Optional<PoolSettings> pool) {

    /**
     * @param policy what the starter applies to the builder (null fields leave the underlying starter's value)
     * @param time the HTTP/2 keepalive time in force after the underlying starter's settings, empty when off
     * @param withoutCalls whether the channel pings without calls, after the underlying starter's settings
     * @param overlaps warnings for options set both in the underlying starter and in the starter
     * @param source what decides the HTTP/2 keepalive in force: {@code grpc.resilience}, or the
     *        underlying starter's property that the user set
     */
    public record KeepAlive(ClientKeepAlivePolicy policy, Optional<Duration> time, boolean withoutCalls,
            List<String> overlaps, String source) {
    }

    /**
     * @param serviceConfig the service config the starter applies
     * @param limits retry and hedging limits
     * @param refreshInterval the periodic re-resolution interval, empty when the target is not dns: or
     *        refresh is off
     * @param loadBalancingPolicy the policy in force, the starter's or the underlying starter's
     * @param unaryTimeout the channel's {@code timeout}, applied to unary calls only by
     *        {@link UnaryDeadlineInterceptor}; null for none
     * @param unaryTimeoutProperty the property that sets {@code unaryTimeout} (for messages)
     * @param methodTimeouts the property that sets each method entry's own {@code timeout}, by entry;
     *        these are in the service config and apply to every call of the method, streams included
     * @param overlaps warnings for options set both in the underlying starter and in the starter
     */
    public record Calls(ServiceConfig serviceConfig, ChannelProperties.Limits limits,
            Optional<Duration> refreshInterval, String loadBalancingPolicy, Duration unaryTimeout,
            String unaryTimeoutProperty, Map<MethodName, String> methodTimeouts, List<String> overlaps) {

        /** The interceptor that gives unary calls the channel's default deadline, if there is one. */
        public Optional<UnaryDeadlineInterceptor> unaryDeadlines() {
            return unaryTimeout == null ? Optional.empty()
                    : Optional.of(new UnaryDeadlineInterceptor(unaryTimeout, methodTimeouts.keySet()));
        }

        /**
         * What set the deadline that ended a stream, and what to change: the method entries that set
         * their own {@code timeout} (they apply to streams too), else the application's own deadline
         * (the channel's {@code timeout} applies to unary calls only).
         */
        public String deadlineAdvice() {
            String unary = unaryTimeout == null ? ""
                    : "; " + unaryTimeoutProperty + " (" + Durations.format(unaryTimeout)
                            + ") applies to unary calls only";
            if (!methodTimeouts.isEmpty()) {
                return "the deadline comes from " + String.join(", ", methodTimeouts.values())
                        + " (a method entry's timeout ends every call of that method, streams included): remove or "
                        + "raise it for this stream's method, unless the application set the deadline on the stub"
                        + unary;
            }
            return "the application set the deadline on the stub or its call options (withDeadline/withDeadlineAfter); "
                    + "do not give a long-lived stream a deadline" + unary;
        }
    }
}
