package io.github.grpcresilience.autoconfigure.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Predicate;

/**
 * The meters one component registers for the things it measures (channels, pools, streams), so
 * they can be removed together when such a thing goes away: a closed channel or stream must not
 * leave gauges holding it, nor stale series behind. A meter belongs to the component when its
 * name is one of the component's and its owner tag (e.g. {@code channel}) names the thing.
 *
 * <p>The components get their registry by injection rather than as {@code MeterBinder}s: Spring
 * Boot binds binders only after every singleton is created, and a channel made during startup
 * would lose the meters (and counts) of its first moments.
 *
 * <p>Thread-safety: Micrometer registries are thread-safe; removal may race a registration on
 * another thread exactly as the loops this replaces did.
 */
public final class OwnedMeters {

    private final MeterRegistry registry;
    private final String ownerTag;
    private final Predicate<String> names;

    /**
     * @param registry where the meters are registered
     * @param ownerTag the tag naming what a meter measures, e.g. {@code channel}
     * @param names which meter names are the component's
     */
    public OwnedMeters(MeterRegistry registry, String ownerTag, Predicate<String> names) {
        this.registry = registry;
        this.ownerTag = ownerTag;
        this.names = names;
    }

    /** Meters whose name starts with {@code prefix}, e.g. {@code grpc.client.channel.}. */
    public static Predicate<String> prefixed(String prefix) {
        return name -> name.startsWith(prefix);
    }

    /** Removes every meter of the component whose owner tag is {@code owner}. */
    public void removeAll(String owner) {
        List<Meter> owned = registry.getMeters().stream()
                .filter(meter -> names.test(meter.getId().getName()))
                .filter(meter -> owner.equals(meter.getId().getTag(ownerTag)))
                .toList();
        owned.forEach(registry::remove);
    }
}
