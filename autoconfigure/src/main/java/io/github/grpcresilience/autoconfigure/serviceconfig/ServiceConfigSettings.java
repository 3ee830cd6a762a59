package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.keepalive.KeepAliveSettings;
import io.github.grpcresilience.autoconfigure.keepalive.NetDevhProperties;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.serviceconfig.HedgingPolicy;
import io.github.grpcresilience.serviceconfig.MethodConfig;
import io.github.grpcresilience.serviceconfig.MethodName;
import io.github.grpcresilience.serviceconfig.RetryPolicy;
import io.github.grpcresilience.serviceconfig.RetryThrottling;
import io.github.grpcresilience.serviceconfig.ServiceConfig;
import io.github.grpcresilience.serviceconfig.UnaryDeadlineInterceptor;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves each channel's service config from the properties: the channel's merged settings
 * (defaults, then the channel's keys) give the policy of every method, and each {@code methods}
 * entry is bound on top of them, field by field. Properties are checked by
 * {@link ServiceConfigValidator} before they get here, so the model's constructors do not throw.
 *
 * <p>Retry or hedging of a method is decided by the most specific level (defaults, channel,
 * defaults' method entry, channel's method entry) that sets {@code retry.*} or {@code hedging.*}:
 * hedging switched on there replaces an inherited retry, and a level that configures retry
 * replaces an inherited hedging.
 *
 * <p>Thread-safety: resolved on first use and cached in a concurrent map; results are immutable.
 */
public final class ServiceConfigSettings {

    /**
     * The resolved settings of one channel.
     *
     * @param name the net.devh client name
     * @param prefix the display prefix of its properties
     * @param serviceConfig the service config the starter applies
     * @param limits retry and hedging limits
     * @param refreshInterval the periodic re-resolution interval, empty when the target is not dns:
     *        or refresh is off
     * @param effectiveLoadBalancingPolicy the policy in force, ours or net.devh's
     * @param overlaps warnings for options set both by net.devh and by us
     * @param defaultTimeout the channel's {@code timeout} (defaults, then channel), applied to unary
     *        calls only by {@link io.github.grpcresilience.serviceconfig.UnaryDeadlineInterceptor}; null for none
     * @param defaultTimeoutProperty the property that sets {@code defaultTimeout} (for messages)
     * @param methodTimeouts the property that sets each method entry's own {@code timeout}, by entry;
     *        these are in the service config and apply to every call of the method, streams included
     */
    public record Channel(String name, String prefix, ServiceConfig serviceConfig, ChannelProperties.Limits limits,
            Optional<Duration> refreshInterval, String effectiveLoadBalancingPolicy, List<String> overlaps,
            Duration defaultTimeout, String defaultTimeoutProperty, Map<MethodName, String> methodTimeouts) {

        /** The interceptor that gives unary calls the channel's default deadline, if there is one. */
        public Optional<UnaryDeadlineInterceptor> unaryDeadlines() {
            return defaultTimeout == null ? Optional.empty()
                    : Optional.of(new UnaryDeadlineInterceptor(defaultTimeout, methodTimeouts.keySet()));
        }
    }

    /**
     * Retry or hedging of one method.
     *
     * @param conflict the level that switches on both, or null
     */
    record Policy(boolean retry, boolean hedging, String conflict) {
    }

    static final String METHODS = "methods";

    private final KeepAliveSettings keepAlive;
    private final ConfiguredProperties configured;
    private final NetDevhProperties devh;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    public ServiceConfigSettings(KeepAliveSettings keepAlive, ConfiguredProperties configured) {
        this.keepAlive = keepAlive;
        this.configured = configured;
        this.devh = keepAlive.netDevh();
    }

    /** The settings of a channel (resolved on first use). */
    public Channel channel(String name) {
        return channels.computeIfAbsent(name, this::resolve);
    }

    /**
     * What set the deadline that ended a stream on a channel, and what to change: the method
     * entries that set their own {@code timeout} (they apply to streams too), else the application's
     * own deadline (the channel's {@code timeout} applies to unary calls only).
     */
    public String deadlineAdvice(String channel) {
        Channel settings = channel(channel);
        String unary = settings.defaultTimeout() == null ? ""
                : "; " + settings.defaultTimeoutProperty() + " (" + Durations.format(settings.defaultTimeout())
                        + ") applies to unary calls only";
        if (!settings.methodTimeouts().isEmpty()) {
            return "the deadline comes from " + String.join(", ", settings.methodTimeouts().values())
                    + " (a method entry's timeout ends every call of that method, streams included): remove or raise "
                    + "it for this stream's method, unless the application set the deadline on the stub" + unary;
        }
        return "the application set the deadline on the stub or its call options (withDeadline/withDeadlineAfter); "
                + "do not give a long-lived stream a deadline" + unary;
    }

    /** The display prefix of a channel's properties; the defaults' for net.devh's GLOBAL. */
    static String prefix(String channel) {
        return NetDevhProperties.GLOBAL.equals(channel) ? KeepAliveSettings.CLIENT_DEFAULTS
                : KeepAliveSettings.channelPrefix(channel);
    }

    ChannelProperties properties(String channel) {
        return keepAlive.client(channel).properties();
    }

    NetDevhProperties netDevh() {
        return devh;
    }

    /** The property prefixes that configure one method entry of a channel, least specific first. */
    List<String> methodLevels(String channel, String methodKey) {
        List<String> levels = KeepAliveSettings.clientLevels(channel);
        levels.add(ConfiguredProperties.entry(KeepAliveSettings.CLIENT_DEFAULTS + "." + METHODS, methodKey, ""));
        if (!NetDevhProperties.GLOBAL.equals(channel)) {
            levels.add(ConfiguredProperties.entry(
                    ConfiguredProperties.entry(KeepAliveSettings.CLIENT_CHANNELS, channel, METHODS), methodKey, ""));
        }
        return levels;
    }

    /** A method entry's settings: every level bound onto one object, least specific first. */
    CallProperties methodProperties(List<String> levels) {
        CallProperties merged = new CallProperties();
        levels.forEach(level -> configured.bindOnto(level, merged));
        return merged;
    }

    /** The most specific level that sets the property, else the least specific (for messages). */
    String where(List<String> levels, String suffix) {
        return configured.whereSet(levels, suffix);
    }

    /** Whether retry or hedging applies, decided as described in the class comment. */
    Policy policy(CallProperties merged, List<String> levels) {
        for (int i = levels.size() - 1; i >= 0; i--) {
            String level = levels.get(i);
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

    /** net.devh's explicit load-balancing policy for the channel, if the user set one. */
    Optional<String> netDevhLoadBalancingPolicy(String channel) {
        return devh.explicitClientKey(channel, "default-load-balancing-policy")
                .flatMap(key -> devh.clientValue(channel, "default-load-balancing-policy", String.class));
    }

    Optional<String> ourExplicitLoadBalancingPolicy(String channel) {
        for (String level : reversed(KeepAliveSettings.clientLevels(channel))) {
            if (configured.isSet(level + ".load-balancing-policy")) {
                return Optional.of(level + ".load-balancing-policy");
            }
        }
        return Optional.empty();
    }

    /** The load-balancing policy in force: ours, unless only net.devh's is explicit. */
    String effectiveLoadBalancingPolicy(String channel) {
        Optional<String> devhPolicy = netDevhLoadBalancingPolicy(channel);
        String ours = properties(channel).getLoadBalancingPolicy();
        return devhPolicy.isPresent() && ourExplicitLoadBalancingPolicy(channel).isEmpty() ? devhPolicy.get() : ours;
    }

    /** The channel's target as configured in net.devh ({@code grpc.client.<name>.address}). */
    Optional<String> address(String channel) {
        return devh.clientValue(channel, "address", String.class);
    }

    private Channel resolve(String name) {
        ChannelProperties properties = properties(name);
        List<String> levels = KeepAliveSettings.clientLevels(name);
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
            List<String> methodLevels = methodLevels(name, key);
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
        Optional<String> devhPolicy = netDevhLoadBalancingPolicy(name);
        Optional<String> ourPolicy = ourExplicitLoadBalancingPolicy(name);
        // null leaves net.devh's explicit default-load-balancing-policy on the builder in force
        String policy = devhPolicy.isPresent() && ourPolicy.isEmpty() ? null : properties.getLoadBalancingPolicy();
        if (devhPolicy.isPresent() && ourPolicy.isPresent()) {
            overlaps.add(ourPolicy.get() + " overrides "
                    + devh.explicitClientKey(name, "default-load-balancing-policy").orElseThrow()
                    + "; remove one of them so the configuration says one thing");
        }
        // The application is the only backend of a channel to its own server: health checking it
        // could only refuse the application's own calls while it is starting or draining.
        boolean healthChecked = properties.getHealthCheck().isEnabled() && !devh.targetsOwnServer(name);
        ServiceConfig serviceConfig = new ServiceConfig(policy,
                healthChecked ? properties.getHealthCheck().getServiceName() : null,
                throttling.isEnabled() ? new RetryThrottling(throttling.getMaxTokens(), throttling.getTokenRatio())
                        : null,
                methods);
        ChannelProperties.Resolver resolver = properties.getResolver();
        Optional<Duration> refresh = resolver.isPeriodicRefresh() && isDns(address(name))
                ? Optional.of(resolver.getRefreshInterval()) : Optional.empty();
        return new Channel(name, prefix(name), serviceConfig, properties.getLimits(), refresh,
                effectiveLoadBalancingPolicy(name), List.copyOf(overlaps), properties.getTimeout(),
                where(levels, "timeout"), Collections.unmodifiableMap(methodTimeouts));
    }

    private MethodConfig methodConfig(MethodName name, CallProperties merged, List<String> levels,
            boolean withTimeout) {
        Policy policy = policy(merged, levels);
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

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
