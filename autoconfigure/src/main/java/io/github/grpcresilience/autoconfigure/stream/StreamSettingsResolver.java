package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.stream.ReconnectBackoff;
import io.github.grpcresilience.stream.StreamSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The effective settings of each stream: {@code grpc.resilience.streams.defaults} with the
 * stream's own {@code instances.<name>} keys bound on top, validated; a bad value fails with the
 * property's name (at startup for the defaults and every configured instance).
 *
 * <p>Streams with no {@code instances.<name>} entry (the usual case, and 10,000 of them in a
 * subscription fleet) share one resolved defaults object and one {@link StreamSettings}: binding
 * per name cost about 5 KB of heap per stream (the binder's property names and caches, measured
 * in BENCHMARKS.md). Configured instances are resolved once each.
 *
 * <p>Thread-safety: immutable after construction except the concurrent map of configured instances.
 */
public final class StreamSettingsResolver {

    public static final String DEFAULTS = GrpcResilienceProperties.PREFIX + ".streams.defaults";
    public static final String INSTANCES = GrpcResilienceProperties.PREFIX + ".streams.instances";

    private final ConfiguredProperties configured;
    private final Map<String, StreamProperties> resolved = new ConcurrentHashMap<>();
    /** Configured instance names, reduced to letters and digits in lower case (as the binder matches them). */
    private final java.util.Set<String> instanceKeys;
    private final StreamProperties defaults;
    private final StreamSettings defaultSettings;

    public StreamSettingsResolver(GrpcResilienceProperties properties, ConfiguredProperties configured) {
        this.configured = configured;
        validate(DEFAULTS, properties.getStreams().getDefaults());
        this.instanceKeys = properties.getStreams().getInstances().keySet().stream()
                .map(StreamSettingsResolver::key).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.defaults = new StreamProperties();
        configured.bindOnto(DEFAULTS, defaults);
        this.defaultSettings = toSettings(defaults);
        for (String name : properties.getStreams().getInstances().keySet()) {
            if (configured.isSet(ConfiguredProperties.entry(INSTANCES, name, "reconnect.queue-capacity"))) {
                String property = INSTANCES + "." + name + ".reconnect.queue-capacity";
                throw new InvalidGrpcResiliencePropertyException(property,
                        properties.getStreams().getInstances().get(name).getReconnect().getQueueCapacity(),
                        "the reconnect queue is shared by all streams",
                        "Remove " + property + " and set " + DEFAULTS + ".reconnect.queue-capacity instead.");
            }
            validate(INSTANCES + "." + name, properties(name));
        }
    }

    private static String key(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    private boolean hasInstance(String stream) {
        return instanceKeys.contains(key(stream));
    }

    /** The merged properties of a stream (shared, read only, for a stream with no instance entry). */
    public StreamProperties properties(String stream) {
        if (!hasInstance(stream)) {
            return defaults;
        }
        return resolved.computeIfAbsent(stream, name -> {
            StreamProperties merged = new StreamProperties();
            configured.bindOnto(DEFAULTS, merged);
            configured.bindOnto(ConfiguredProperties.entry(INSTANCES, name, ""), merged);
            return merged;
        });
    }

    /** The property that sets a stream's {@code suffix}: its instance's if set there, else the defaults'. */
    public String where(String stream, String suffix) {
        return configured.whereSet(java.util.List.of(DEFAULTS, ConfiguredProperties.entry(INSTANCES, stream, "")),
                suffix);
    }

    /** The mechanism's settings of a stream. */
    public StreamSettings settings(String stream) {
        return hasInstance(stream) ? toSettings(properties(stream)) : defaultSettings;
    }

    private static StreamSettings toSettings(StreamProperties p) {
        StreamProperties.Reconnect reconnect = p.getReconnect();
        StreamProperties.OutboundBuffer buffer = p.getOutboundBuffer();
        return new StreamSettings(new ReconnectBackoff(reconnect.getInitialBackoff(), reconnect.getMaxBackoff(),
                reconnect.getMultiplier(), reconnect.getJitter()), reconnect.getMaxAttempts(),
                reconnect.getCheckInterval(), reconnect.getHealthyReset(), reconnect.getRetryableStatusCodes(),
                buffer.getCapacity(), buffer.getOverflow(), buffer.getBlockTimeout());
    }

    /** The shared reconnect queue's capacity (from the defaults). */
    public int queueCapacity() {
        return defaults.getReconnect().getQueueCapacity();
    }

    private static void validate(String prefix, StreamProperties p) {
        StreamProperties.Reconnect reconnect = p.getReconnect();
        positive(prefix + ".reconnect.initial-backoff", reconnect.getInitialBackoff());
        positive(prefix + ".reconnect.max-backoff", reconnect.getMaxBackoff());
        if (reconnect.getMaxBackoff().compareTo(reconnect.getInitialBackoff()) < 0) {
            throw new InvalidGrpcResiliencePropertyException(prefix + ".reconnect.max-backoff",
                    Durations.format(reconnect.getMaxBackoff()), "it is shorter than " + prefix
                            + ".reconnect.initial-backoff (" + Durations.format(reconnect.getInitialBackoff()) + ")",
                    "Set " + prefix + ".reconnect.max-backoff to at least the initial backoff.");
        }
        PropertyChecks.between(prefix + ".reconnect.multiplier", reconnect.getMultiplier(), 1, 100, "a factor such as 1.6");
        PropertyChecks.between(prefix + ".reconnect.jitter", reconnect.getJitter(), 0, 1, "a fraction such as 0.2");
        PropertyChecks.between(prefix + ".reconnect.max-attempts", reconnect.getMaxAttempts(), 0, Integer.MAX_VALUE,
                "0 (unlimited) or a positive count");
        positive(prefix + ".reconnect.check-interval", reconnect.getCheckInterval());
        positive(prefix + ".reconnect.healthy-reset", reconnect.getHealthyReset());
        if (reconnect.getRetryableStatusCodes().contains(io.grpc.Status.Code.OK)) {
            throw new InvalidGrpcResiliencePropertyException(prefix + ".reconnect.retryable-status-codes", "OK",
                    "OK ends a stream normally and is never retried", "Remove OK from "
                            + prefix + ".reconnect.retryable-status-codes.");
        }
        PropertyChecks.between(prefix + ".reconnect.queue-capacity", reconnect.getQueueCapacity(), 1, 10_000_000, "a count such as 10000");
        PropertyChecks.between(prefix + ".outbound-buffer.capacity", p.getOutboundBuffer().getCapacity(), 1, 10_000_000,
                "a count such as 1000");
        positive(prefix + ".outbound-buffer.block-timeout", p.getOutboundBuffer().getBlockTimeout());
        positive(prefix + ".health.unhealthy-grace", p.getHealth().getUnhealthyGrace());
    }

    private static void positive(String property, Duration value) {
        PropertyChecks.positive(property, value, "2s");
    }
}
