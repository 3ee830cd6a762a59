package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.serviceconfig.CallProperties;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.resolver.StaticTarget;
import io.github.grpcresilience.serviceconfig.MethodName;
import io.github.grpcresilience.serviceconfig.RetryThrottling;
import io.github.grpcresilience.serviceconfig.ServiceConfig;
import io.github.grpcresilience.serviceconfig.ServiceConfigCheck;
import io.grpc.LoadBalancerRegistry;
import java.time.Duration;
import java.util.List;

/**
 * Retry, hedging, throttling, load balancing, health checking, re-resolution and multi-address
 * targets of one channel, before its service config is built; then grpc-java's own parser judges
 * the service config itself.
 */
final class CallChecks {

    /** Re-resolving more often than this only loads the name servers. */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final String channel;
    private final String prefix;
    private final ChannelProperties properties;
    private final CallsResolution calls;

    CallChecks(String channel, ChannelProperties properties, CallsResolution calls) {
        this.channel = channel;
        this.prefix = ChannelLevels.prefix(channel);
        this.properties = properties;
        this.calls = calls;
    }

    /** Checks the properties that the service config is built from. */
    void checkProperties() {
        List<String> levels = calls.levels();
        checkLimits(properties.getLimits(), levels);
        checkCalls(properties, levels);
        for (String key : properties.getMethods().keySet()) {
            if (MethodName.parse(key).isEmpty()) {
                String property = prefix + ".methods." + key;
                throw new InvalidGrpcResiliencePropertyException(property, key,
                        "a method key must be package.Service/Method or package.Service/* (Spring drops dots "
                                + "and slashes from map keys that are not in brackets)",
                        "Write the key in quotes and brackets, e.g. " + prefix
                                + ".methods.\"[control.ControlPlane/GetConfig]\".retry.enabled=false.");
            }
            List<String> methodLevels = ChannelLevels.ofMethod(channel, key);
            checkCalls(calls.methodProperties(methodLevels), methodLevels);
        }
        checkThrottling(properties.getRetryThrottling(), levels);
        checkLoadBalancing(levels);
        String refreshProperty = calls.where(levels, "resolver.refresh-interval");
        PropertyChecks.positive(refreshProperty, properties.getResolver().getRefreshInterval(), "5s");
        if (properties.getResolver().isPeriodicRefresh()
                && properties.getResolver().getRefreshInterval().compareTo(MIN_REFRESH_INTERVAL) < 0) {
            throw new InvalidGrpcResiliencePropertyException(refreshProperty,
                    Durations.format(properties.getResolver().getRefreshInterval()),
                    "re-resolving more often than every second only loads the name servers",
                    "Set " + refreshProperty + " to 1s or more (the default, 5s, matches Kubernetes' DNS TTL).");
        }
    }

    /** grpc-java's own parser on the service config built from the checked properties. */
    void checkServiceConfig(ServiceConfig config) {
        try {
            ServiceConfigCheck.check(config.toMap());
        } catch (IllegalArgumentException e) {
            throw new InvalidGrpcResiliencePropertyException(prefix, config.toMap(),
                    "grpc-java rejects the service config built from these properties: " + e.getMessage(),
                    "Correct the retry, hedging, load-balancing or health-check settings under " + prefix + ".");
        }
    }

    /** A {@code static:} target must list host:port entries, in either form. */
    static void checkTarget(String channel, UnderlyingGrpcSettings underlying) {
        underlying.target(channel).filter(address -> address.startsWith(StaticTarget.SCHEME + ":")).ifPresent(address -> {
            String list = address.substring(StaticTarget.SCHEME.length() + 1).replaceFirst("^/+", "");
            try {
                StaticTarget.parse(list, 0);
            } catch (IllegalArgumentException e) {
                String property = underlying.targetProperty(channel);
                throw new InvalidGrpcResiliencePropertyException(property, address,
                        "a static: target lists host:port addresses, and " + e.getMessage(),
                        "Set " + property + " to static://10.0.0.1:9090,10.0.0.2:9090 or "
                                + "static:///10.0.0.1:9090,10.0.0.2:9090.");
            }
        });
    }

    private void checkCalls(CallProperties call, List<String> levels) {
        ChannelProperties.Limits limits = properties.getLimits();
        CallsResolution.Policy policy = calls.policy(call, levels);
        String level = policy.conflict();
        if (level != null) {
            throw new InvalidGrpcResiliencePropertyException(level + ".hedging.enabled", true,
                    "retry and hedging are exclusive for a method, and " + level + " switches on both",
                    "Set " + level + ".retry.enabled=false, or remove " + level + ".hedging.");
        }
        if (policy.retry()) {
            CallProperties.Retry retry = call.getRetry();
            attempts(calls.where(levels, "retry.max-attempts"), retry.getMaxAttempts(),
                    limits.getMaxRetryAttempts(), prefix + ".limits.max-retry-attempts");
            PropertyChecks.positive(calls.where(levels, "retry.initial-backoff"), retry.getInitialBackoff(), "100ms");
            PropertyChecks.positive(calls.where(levels, "retry.max-backoff"), retry.getMaxBackoff(), "2s");
            if (!(retry.getBackoffMultiplier() > 0)) {
                String property = calls.where(levels, "retry.backoff-multiplier");
                throw new InvalidGrpcResiliencePropertyException(property, retry.getBackoffMultiplier(),
                        "the backoff multiplier must be positive", "Set " + property + " to a value such as 2.0.");
            }
            codes(calls.where(levels, "retry.retryable-status-codes"), retry.getRetryableStatusCodes(), true);
        }
        if (policy.hedging()) {
            CallProperties.Hedging hedging = call.getHedging();
            attempts(calls.where(levels, "hedging.max-attempts"), hedging.getMaxAttempts(),
                    limits.getMaxHedgedAttempts(), prefix + ".limits.max-hedged-attempts");
            String delay = calls.where(levels, "hedging.delay");
            if (hedging.getDelay() == null) {
                throw new InvalidGrpcResiliencePropertyException(delay, "",
                        "hedging needs a delay between copies (grpc-java requires hedgingDelay)",
                        "Set " + delay + " to about the method's p95 latency, such as 50ms.");
            }
            PropertyChecks.positive(delay, hedging.getDelay(), "50ms");
            codes(calls.where(levels, "hedging.non-fatal-status-codes"), hedging.getNonFatalStatusCodes(), false);
        }
        if (call.getTimeout() != null) {
            PropertyChecks.positive(calls.where(levels, "timeout"), call.getTimeout(), "5s");
        }
    }

    private static void attempts(String property, int value, int limit, String limitProperty) {
        if (value < 2) {
            throw new InvalidGrpcResiliencePropertyException(property, value,
                    "max-attempts counts the first attempt too, so it must be at least 2",
                    "Set " + property + " to 2 or more, or switch the policy off with its enabled property.");
        }
        if (value > limit) {
            throw new InvalidGrpcResiliencePropertyException(property, value,
                    "grpc-java silently caps it at " + limitProperty + " (" + limit + ")",
                    "Set " + property + " to " + limit + " or less, or raise " + limitProperty + ".");
        }
    }

    private static void codes(String property, List<String> names, boolean required) {
        if (required && names.isEmpty()) {
            throw new InvalidGrpcResiliencePropertyException(property, "",
                    "a retry policy needs at least one retryable status code",
                    "Set " + property + " to UNAVAILABLE, or switch retry off.");
        }
        for (String name : names) {
            if (CallsResolution.code(name).isEmpty()) {
                throw new InvalidGrpcResiliencePropertyException(property, names,
                        "'" + name + "' is not a gRPC status code",
                        "Use status code names such as UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED.");
            }
        }
    }

    private void checkThrottling(ChannelProperties.RetryThrottling throttling, List<String> levels) {
        if (!throttling.isEnabled()) {
            return;
        }
        if (!(throttling.getMaxTokens() > 0 && throttling.getMaxTokens() <= RetryThrottling.MAX_TOKENS_LIMIT)) {
            String property = calls.where(levels, "retry-throttling.max-tokens");
            throw new InvalidGrpcResiliencePropertyException(property, throttling.getMaxTokens(),
                    "grpc-java accepts max-tokens in (0, 1000]", "Set " + property + " to a value such as 100.");
        }
        if (!(throttling.getTokenRatio() > 0)) {
            String property = calls.where(levels, "retry-throttling.token-ratio");
            throw new InvalidGrpcResiliencePropertyException(property, throttling.getTokenRatio(),
                    "the token ratio must be positive", "Set " + property + " to a value such as 0.1.");
        }
    }

    private void checkLimits(ChannelProperties.Limits limits, List<String> levels) {
        PropertyChecks.atLeast(calls.where(levels, "limits.max-retry-attempts"), limits.getMaxRetryAttempts(), 1,
                "5 (grpc-java's default) or remove it");
        PropertyChecks.atLeast(calls.where(levels, "limits.max-hedged-attempts"), limits.getMaxHedgedAttempts(), 1,
                "5 (grpc-java's default) or remove it");
        if (limits.getRetryBufferSize().toBytes() <= 0 || limits.getPerRpcBufferLimit().toBytes() <= 0) {
            String property = calls.where(levels,
                    limits.getRetryBufferSize().toBytes() <= 0 ? "limits.retry-buffer-size" : "limits.per-rpc-buffer-limit");
            throw new InvalidGrpcResiliencePropertyException(property, "", "it must be a positive size",
                    "Set " + property + " to a size such as 16MB (retry-buffer-size) or 1MB (per-rpc-buffer-limit).");
        }
    }

    private void checkLoadBalancing(List<String> levels) {
        String ours = properties.getLoadBalancingPolicy();
        if (ours == null || LoadBalancerRegistry.getDefaultRegistry().getProvider(ours) == null) {
            String property = calls.where(levels, "load-balancing-policy");
            throw new InvalidGrpcResiliencePropertyException(property, ours,
                    "grpc-java has no load-balancing policy of that name",
                    "Set " + property + " to round_robin or pick_first.");
        }
        String effective = calls.effectiveLoadBalancingPolicy();
        if (properties.getHealthCheck().isEnabled() && !ServiceConfig.ROUND_ROBIN.equals(effective)) {
            String property = calls.where(levels, "health-check.enabled");
            throw new InvalidGrpcResiliencePropertyException(property, true,
                    "client-side health checking works with round_robin only, and the channel uses " + effective,
                    "Set " + calls.where(levels, "load-balancing-policy")
                            + "=round_robin, or switch health checking off.");
        }
    }
}
