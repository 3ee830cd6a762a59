package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fails the startup where Spring Boot's service config properties and the starter's set the same
 * part of one channel's service config explicitly: the channel's map can hold only one, and
 * silently dropping either would surprise. Each pair is a top-level key of the service config:
 *
 * <ul>
 *   <li>{@code methodConfig}: Boot's {@code service-config.method} against the starter's
 *       {@code retry}, {@code hedging}, {@code timeout}, {@code wait-for-ready}, {@code methods};
 *   <li>{@code retryThrottling}: {@code service-config.retrythrottling} against {@code retry-throttling};
 *   <li>{@code loadBalancingConfig}: {@code service-config.loadbalancing} against
 *       {@code load-balancing-policy};
 *   <li>{@code healthCheckConfig}: {@code service-config.healthcheck} or {@code health.*} against
 *       {@code health-check}.
 * </ul>
 *
 * A channel is checked against the Boot entry Boot applies to it (its own, else {@code default})
 * and against the starter's {@code client.defaults} and {@code client.channels.<name>}.
 */
final class ServiceConfigConflictCheck {

    private static final String DEFAULTS = GrpcResilienceProperties.PREFIX + ".client.defaults";
    private static final String CHANNELS = GrpcResilienceProperties.PREFIX + ".client.channels";

    /** One top-level service config key, as each side's properties set it. */
    private record Part(String key, List<String> bootKeys, List<String> starterKeys) {
    }

    private static final List<Part> PARTS = List.of(
            new Part("methodConfig", List.of("service-config.method"),
                    List.of("retry", "hedging", "timeout", "wait-for-ready", "methods")),
            new Part("retryThrottling", List.of("service-config.retrythrottling"), List.of("retry-throttling")),
            new Part("loadBalancingConfig", List.of("service-config.loadbalancing"), List.of("load-balancing-policy")),
            new Part("healthCheckConfig", List.of("service-config.healthcheck", "health"), List.of("health-check")));

    private ServiceConfigConflictCheck() {
    }

    /**
     * @param starterChannels the channels under the starter's {@code client.channels}
     * @throws InvalidGrpcResiliencePropertyException naming both properties of the first conflict
     */
    static void check(SpringGrpcProperties boot, ConfiguredProperties configured, Set<String> starterChannels) {
        Set<String> channels = new TreeSet<>(starterChannels);
        channels.addAll(boot.clientNames());
        check(UnderlyingGrpcSettings.ALL_CHANNELS, boot, configured);
        channels.forEach(channel -> check(channel, boot, configured));
    }

    private static void check(String channel, SpringGrpcProperties boot, ConfiguredProperties configured) {
        List<String> starterLevels = UnderlyingGrpcSettings.ALL_CHANNELS.equals(channel) ? List.of(DEFAULTS)
                : List.of(ConfiguredProperties.entry(CHANNELS, channel, ""), DEFAULTS);
        for (Part part : PARTS) {
            Optional<String> bootProperty = part.bootKeys().stream()
                    .map(key -> boot.whereSet(channel, key)).flatMap(Optional::stream).findFirst();
            if (bootProperty.isEmpty()) {
                continue;
            }
            for (String level : starterLevels) {
                for (String key : part.starterKeys()) {
                    String starterProperty = level + "." + key;
                    if (configured.isAnySet(starterProperty)) {
                        throw conflict(channel, part.key(), bootProperty.get(), starterProperty);
                    }
                }
            }
        }
    }

    private static InvalidGrpcResiliencePropertyException conflict(String channel, String key, String bootProperty,
            String starterProperty) {
        String which = UnderlyingGrpcSettings.ALL_CHANNELS.equals(channel) ? "every channel" : "channel '" + channel + "'";
        return new InvalidGrpcResiliencePropertyException(starterProperty, "(set)",
                "both " + bootProperty + " (Spring Boot) and " + starterProperty + " set the " + key
                        + " of the default service config of " + which + "; only one can apply",
                "Remove " + bootProperty + " to keep the starter's setting, or remove " + starterProperty
                        + " to keep Spring Boot's.");
    }
}
