package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.ClientOption;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.Explicit;
import io.github.grpcresilience.autoconfigure.serviceconfig.CallProperties;
import io.github.grpcresilience.serviceconfig.HedgingPolicy;
import io.github.grpcresilience.serviceconfig.MethodConfig;
import io.github.grpcresilience.serviceconfig.MethodName;
import io.github.grpcresilience.serviceconfig.RetryPolicy;
import io.github.grpcresilience.serviceconfig.RetryThrottling;
import io.github.grpcresilience.serviceconfig.ServiceConfig;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What happens to a channel's calls, from its merged properties: the policy of every method, each
 * {@code methods} entry bound on top of them field by field, throttling, load balancing, health
 * checking, deadlines and re-resolution. {@link CallChecks} has checked the values by the time a
 * service config is built, so the model's constructors do not throw.
 *
 * <p>Retry or hedging of a method is decided by the most specific level (defaults, channel,
 * defaults' method entry, channel's method entry) that sets {@code retry.*} or {@code hedging.*}:
 * hedging switched on there replaces an inherited retry, and a level that configures retry
 * replaces an inherited hedging.
 */
final class CallsResolution {

    /**
     * Retry or hedging of one method.
     *
     * @param conflict the level that switches on both, or null
     */
    record Policy(boolean retry, boolean hedging, String conflict) {
    }

    private final String channel;
    private final ChannelProperties properties;
    private final ConfiguredProperties configured;
    private final UnderlyingGrpcSettings underlying;
    private final List<String> levels;

    CallsResolution(String channel, ChannelProperties properties, ConfiguredProperties configured,
            UnderlyingGrpcSettings underlying) {
        this.channel = channel;
        this.properties = properties;
        this.configured = configured;
        this.underlying = underlying;
        this.levels = ChannelLevels.of(channel);
    }

    List<String> levels() {
        return levels;
    }

    /** A method entry's settings: every level bound onto one object, least specific first. */
    CallProperties methodProperties(List<String> methodLevels) {
        CallProperties merged = new CallProperties();
        methodLevels.forEach(level -> configured.bindOnto(level, merged));
        return merged;
    }

    /** The most specific level that sets the property, else the least specific (for messages). */
    String where(List<String> levels, String suffix) {
        return configured.whereSet(levels, suffix);
    }

    /** Whether retry or hedging applies, decided as described in the class comment. */
    Policy policy(CallProperties merged, List<String> callLevels) {
        for (int i = callLevels.size() - 1; i >= 0; i--) {
            String level = callLevels.get(i);
            boolean retrySet = configured.isAnySet(level + ".retry");
            boolean hedgingSet = configured.isAnySet(level + ".hedging");
            if (retrySet || hedgingSet) {
                boolean hedging = hedgingSet && merged.getHedging().isEnabled();
                boolean retry = merged.getRetry().isEnabled() && (retrySet || !hedging);
                return new Policy(retry && !hedging, hedging, retry && hedging ? level : null);
            }
        }
        return new Policy(merged.getRetry().isEnabled(), false, null);
    }

    /** The underlying starter's explicit load-balancing policy for the channel, if the user set one. */
    Optional<Explicit<String>> underlyingLoadBalancingPolicy() {
        return underlying.client(channel, ClientOption.LOAD_BALANCING_POLICY, String.class);
    }

    Optional<String> ourExplicitLoadBalancingPolicy() {
        for (int i = levels.size() - 1; i >= 0; i--) {
            if (configured.isSet(levels.get(i) + ".load-balancing-policy")) {
                return Optional.of(levels.get(i) + ".load-balancing-policy");
            }
        }
        return Optional.empty();
    }

    /** The load-balancing policy in force: the starter's, unless only the underlying starter's is explicit. */
    String effectiveLoadBalancingPolicy() {
        Optional<Explicit<String>> theirs = underlyingLoadBalancingPolicy();
        return theirs.isPresent() && ourExplicitLoadBalancingPolicy().isEmpty() ? theirs.get().value()
                : properties.getLoadBalancingPolicy();
    }

    ChannelSettings.Calls resolve() {
        List<MethodConfig> methods = new ArrayList<>();
        // The channel's timeout is not in the service config: there it would end every call,
        // long-lived streams included. UnaryDeadlineInterceptor applies it to unary calls.
        MethodConfig all = methodConfig(MethodName.ALL, properties, levels, false);
        if (all.retry() != null || all.hedging() != null || all.waitForReady()) {
            methods.add(all);
        }
        Map<MethodName, String> methodTimeouts = new LinkedHashMap<>();
        for (String key : properties.getMethods().keySet()) {
            MethodName methodName = MethodName.parse(key).orElseThrow();
            List<String> methodLevels = ChannelLevels.ofMethod(channel, key);
            // a method entry's timeout counts only where a method entry sets it: explicit wins, for any method
            boolean explicitTimeout = methodLevels.subList(levels.size(), methodLevels.size()).stream()
                    .anyMatch(level -> configured.isSet(level + ".timeout"));
            if (explicitTimeout) {
                methodTimeouts.put(methodName, where(methodLevels, "timeout"));
            }
            methods.add(methodConfig(methodName, methodProperties(methodLevels), methodLevels, explicitTimeout));
        }

        ChannelProperties.RetryThrottling throttling = properties.getRetryThrottling();
        List<String> overlaps = new ArrayList<>();
        Optional<Explicit<String>> theirPolicy = underlyingLoadBalancingPolicy();
        Optional<String> ourPolicy = ourExplicitLoadBalancingPolicy();
        // null leaves the underlying starter's explicit policy on the builder in force
        String policy = theirPolicy.isPresent() && ourPolicy.isEmpty() ? null : properties.getLoadBalancingPolicy();
        if (theirPolicy.isPresent() && ourPolicy.isPresent()) {
            overlaps.add(ourPolicy.get() + " overrides " + theirPolicy.get().property()
                    + "; remove one of them so the configuration says one thing");
        }
        // The application is the only backend of a channel to its own server: health checking it
        // could only refuse the application's own calls while it is starting or draining.
        boolean healthChecked = properties.getHealthCheck().isEnabled() && !underlying.targetsOwnServer(channel);
        ServiceConfig serviceConfig = new ServiceConfig(policy,
                healthChecked ? properties.getHealthCheck().getServiceName() : null,
                throttling.isEnabled() ? new RetryThrottling(throttling.getMaxTokens(), throttling.getTokenRatio())
                        : null,
                methods);
        ChannelProperties.Resolver resolver = properties.getResolver();
        Optional<Duration> refresh = resolver.isPeriodicRefresh() && isDns(underlying.target(channel))
                ? Optional.of(resolver.getRefreshInterval()) : Optional.empty();
        String effectivePolicy = policy != null ? policy : theirPolicy.get().value();
        return new ChannelSettings.Calls(serviceConfig, properties.getLimits(), refresh, effectivePolicy,
                properties.getTimeout(), where(levels, "timeout"), Collections.unmodifiableMap(methodTimeouts),
                List.copyOf(overlaps));
    }

    private MethodConfig methodConfig(MethodName name, CallProperties merged, List<String> callLevels,
            boolean withTimeout) {
        Policy policy = policy(merged, callLevels);
        CallProperties.Retry retry = merged.getRetry();
        CallProperties.Hedging hedging = merged.getHedging();
        return new MethodConfig(name,
                policy.retry() ? new RetryPolicy(retry.getMaxAttempts(), retry.getInitialBackoff(),
                        retry.getMaxBackoff(), retry.getBackoffMultiplier(), codes(retry.getRetryableStatusCodes()))
                        : null,
                policy.hedging() ? new HedgingPolicy(hedging.getMaxAttempts(), hedging.getDelay(),
                        codes(hedging.getNonFatalStatusCodes())) : null,
                withTimeout ? merged.getTimeout() : null, merged.isWaitForReady());
    }

    /** dns: targets, and targets without a scheme ({@code host:port}), which grpc-java resolves through DNS. */
    static boolean isDns(Optional<String> address) {
        return address.map(target -> target.startsWith("dns:") || target.matches("[^:/]+:\\d+")
                || !target.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")).orElse(true);
    }

    /** Status code names as written (any case, dashes or underscores). */
    static Optional<Status.Code> code(String name) {
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Status.Code code : Status.Code.values()) {
            if (code.name().equals(normalized)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    private static Set<Status.Code> codes(List<String> names) {
        Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
        names.forEach(name -> codes.add(code(name).orElseThrow()));
        return codes;
    }
}
