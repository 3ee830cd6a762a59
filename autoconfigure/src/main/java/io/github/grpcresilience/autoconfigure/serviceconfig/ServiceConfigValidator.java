package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.autoconfigure.keepalive.KeepAliveSettings;
import io.github.grpcresilience.autoconfigure.keepalive.NetDevhProperties;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.resolver.StaticTarget;
import io.github.grpcresilience.serviceconfig.MethodName;
import io.github.grpcresilience.serviceconfig.RetryThrottling;
import io.github.grpcresilience.serviceconfig.ServiceConfig;
import io.github.grpcresilience.serviceconfig.ServiceConfigCheck;
import io.grpc.LoadBalancerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Checks retry, hedging, throttling, load balancing, health checking, re-resolution and
 * multi-address targets at startup, before any channel exists; then lets grpc-java's own parser
 * judge each channel's resulting service config. Each failure names the property and the fix.
 */
final class ServiceConfigValidator {

    /** Re-resolving more often than this only loads the DNS servers. */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private final ServiceConfigSettings settings;

    ServiceConfigValidator(ServiceConfigSettings settings) {
        this.settings = settings;
    }

    /** Validates the defaults and each channel; throws on the first problem. */
    void validate(Set<String> channels) {
        validateChannel(NetDevhProperties.GLOBAL);
        for (String channel : channels) {
            validateAddress(channel);
            validateChannel(channel);
        }
    }

    private void validateChannel(String channel) {
        ChannelProperties properties = settings.properties(channel);
        String prefix = ServiceConfigSettings.prefix(channel);
        List<String> levels = KeepAliveSettings.clientLevels(channel);
        validateLimits(properties.getLimits(), levels);
        validateCalls(properties, levels, properties.getLimits(), prefix);
        for (String key : properties.getMethods().keySet()) {
            if (MethodName.parse(key).isEmpty()) {
                String property = prefix + ".methods." + key;
                throw new InvalidGrpcResiliencePropertyException(property, key,
                        "a method key must be package.Service/Method or package.Service/* (Spring drops dots "
                                + "and slashes from map keys that are not in brackets)",
                        "Write the key in quotes and brackets, e.g. " + prefix
                                + ".methods.\"[control.ControlPlane/GetConfig]\".retry.enabled=false.");
            }
            List<String> methodLevels = settings.methodLevels(channel, key);
            validateCalls(settings.methodProperties(methodLevels), methodLevels, properties.getLimits(), prefix);
        }
        validateThrottling(properties.getRetryThrottling(), levels);
        validateLoadBalancing(channel, properties, levels);
        PropertyChecks.positive(settings.where(levels, "resolver.refresh-interval"),
                properties.getResolver().getRefreshInterval(), "30s");
        if (properties.getResolver().isPeriodicRefresh()
                && properties.getResolver().getRefreshInterval().compareTo(MIN_REFRESH_INTERVAL) < 0) {
            String property = settings.where(levels, "resolver.refresh-interval");
            throw new InvalidGrpcResiliencePropertyException(property,
                    Durations.format(properties.getResolver().getRefreshInterval()),
                    "re-resolving more often than every 5s only loads the DNS servers",
                    "Set " + property + " to 5s or more (30s suits most deployments).");
        }
        ServiceConfig config = settings.channel(channel).serviceConfig();
        try {
            ServiceConfigCheck.check(config.toMap());
        } catch (IllegalArgumentException e) {
            throw new InvalidGrpcResiliencePropertyException(prefix, config.toMap(),
                    "grpc-java rejects the service config built from these properties: " + e.getMessage(),
                    "Correct the retry, hedging, load-balancing or health-check settings under " + prefix + ".");
        }
    }

    private void validateCalls(CallProperties call, List<String> levels, ChannelProperties.Limits limits,
            String channelPrefix) {
        ServiceConfigSettings.Policy policy = settings.policy(call, levels);
        String level = policy.conflict();
        if (level != null) {
            throw new InvalidGrpcResiliencePropertyException(level + ".hedging.enabled", true,
                    "retry and hedging are exclusive for a method, and " + level + " switches on both",
                    "Set " + level + ".retry.enabled=false, or remove " + level + ".hedging.");
        }
        if (policy.retry()) {
            CallProperties.Retry retry = call.getRetry();
            attempts(settings.where(levels, "retry.max-attempts"), retry.getMaxAttempts(),
                    limits.getMaxRetryAttempts(), channelPrefix + ".limits.max-retry-attempts");
            PropertyChecks.positive(settings.where(levels, "retry.initial-backoff"), retry.getInitialBackoff(), "100ms");
            PropertyChecks.positive(settings.where(levels, "retry.max-backoff"), retry.getMaxBackoff(), "2s");
            if (!(retry.getBackoffMultiplier() > 0)) {
                String property = settings.where(levels, "retry.backoff-multiplier");
                throw new InvalidGrpcResiliencePropertyException(property, retry.getBackoffMultiplier(),
                        "the backoff multiplier must be positive", "Set " + property + " to a value such as 2.0.");
            }
            codes(settings.where(levels, "retry.retryable-status-codes"), retry.getRetryableStatusCodes(), true);
        }
        if (policy.hedging()) {
            CallProperties.Hedging hedging = call.getHedging();
            attempts(settings.where(levels, "hedging.max-attempts"), hedging.getMaxAttempts(),
                    limits.getMaxHedgedAttempts(), channelPrefix + ".limits.max-hedged-attempts");
            String delay = settings.where(levels, "hedging.delay");
            if (hedging.getDelay() == null) {
                throw new InvalidGrpcResiliencePropertyException(delay, "",
                        "hedging needs a delay between copies (grpc-java requires hedgingDelay)",
                        "Set " + delay + " to about the method's p95 latency, such as 50ms.");
            }
            PropertyChecks.positive(delay, hedging.getDelay(), "50ms");
            codes(settings.where(levels, "hedging.non-fatal-status-codes"), hedging.getNonFatalStatusCodes(), false);
        }
        if (call.getTimeout() != null) {
            PropertyChecks.positive(settings.where(levels, "timeout"), call.getTimeout(), "5s");
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
            if (ServiceConfigSettings.code(name).isEmpty()) {
                throw new InvalidGrpcResiliencePropertyException(property, names,
                        "'" + name + "' is not a gRPC status code",
                        "Use status code names such as UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED.");
            }
        }
    }

    private void validateThrottling(ChannelProperties.RetryThrottling throttling, List<String> levels) {
        if (!throttling.isEnabled()) {
            return;
        }
        if (!(throttling.getMaxTokens() > 0 && throttling.getMaxTokens() <= RetryThrottling.MAX_TOKENS_LIMIT)) {
            String property = settings.where(levels, "retry-throttling.max-tokens");
            throw new InvalidGrpcResiliencePropertyException(property, throttling.getMaxTokens(),
                    "grpc-java accepts max-tokens in (0, 1000]", "Set " + property + " to a value such as 100.");
        }
        if (!(throttling.getTokenRatio() > 0)) {
            String property = settings.where(levels, "retry-throttling.token-ratio");
            throw new InvalidGrpcResiliencePropertyException(property, throttling.getTokenRatio(),
                    "the token ratio must be positive", "Set " + property + " to a value such as 0.1.");
        }
    }

    private void validateLimits(ChannelProperties.Limits limits, List<String> levels) {
        for (String suffix : List.of("max-retry-attempts", "max-hedged-attempts")) {
            int value = suffix.startsWith("max-retry") ? limits.getMaxRetryAttempts() : limits.getMaxHedgedAttempts();
            if (value < 1) {
                String property = settings.where(levels, "limits." + suffix);
                throw new InvalidGrpcResiliencePropertyException(property, value, "it must be at least 1",
                        "Set " + property + " to 5 (grpc-java's default) or remove it.");
            }
        }
        if (limits.getRetryBufferSize().toBytes() <= 0 || limits.getPerRpcBufferLimit().toBytes() <= 0) {
            String property = settings.where(levels,
                    limits.getRetryBufferSize().toBytes() <= 0 ? "limits.retry-buffer-size" : "limits.per-rpc-buffer-limit");
            throw new InvalidGrpcResiliencePropertyException(property, "", "it must be a positive size",
                    "Set " + property + " to a size such as 16MB (retry-buffer-size) or 1MB (per-rpc-buffer-limit).");
        }
    }

    private void validateLoadBalancing(String channel, ChannelProperties properties, List<String> levels) {
        String ours = properties.getLoadBalancingPolicy();
        if (ours == null || LoadBalancerRegistry.getDefaultRegistry().getProvider(ours) == null) {
            String property = settings.where(levels, "load-balancing-policy");
            throw new InvalidGrpcResiliencePropertyException(property, ours,
                    "grpc-java has no load-balancing policy of that name",
                    "Set " + property + " to round_robin or pick_first.");
        }
        String effective = settings.effectiveLoadBalancingPolicy(channel);
        if (properties.getHealthCheck().isEnabled() && !ServiceConfig.ROUND_ROBIN.equals(effective)) {
            String property = settings.where(levels, "health-check.enabled");
            throw new InvalidGrpcResiliencePropertyException(property, true,
                    "client-side health checking works with round_robin only, and the channel uses " + effective,
                    "Set " + settings.where(levels, "load-balancing-policy")
                            + "=round_robin, or switch health checking off.");
        }
    }

    /** A {@code static:} target must list host:port entries, in either form. */
    private void validateAddress(String channel) {
        settings.address(channel).filter(address -> address.startsWith(StaticTarget.SCHEME + ":")).ifPresent(address -> {
            String list = address.substring(StaticTarget.SCHEME.length() + 1).replaceFirst("^/+", "");
            try {
                StaticTarget.parse(list, 0);
            } catch (IllegalArgumentException e) {
                String property = NetDevhProperties.clientProperty(channel, "address");
                throw new InvalidGrpcResiliencePropertyException(property, address,
                        "a static: target lists host:port addresses, and " + e.getMessage(),
                        "Set " + property + " to static://10.0.0.1:9090,10.0.0.2:9090 or "
                                + "static:///10.0.0.1:9090,10.0.0.2:9090.");
            }
        });
    }
}
