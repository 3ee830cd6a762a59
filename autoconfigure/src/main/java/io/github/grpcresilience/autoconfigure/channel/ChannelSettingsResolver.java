package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.pool.PoolSettings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where a channel's settings come from: {@code client.defaults} with the channel's
 * own {@code client.channels.<name>} keys bound on top field by field, the underlying starter's
 * explicit properties, validated once and turned into one immutable {@link ChannelSettings} that
 * every capability (keepalive, service config, pool, health, metrics, the endpoint) reads.
 *
 * <p>{@link #resolveConfigured()} resolves the defaults and every channel known at startup, so a
 * bad value fails the startup with the property that holds it and the fix, and puts each merged
 * channel into the bound {@link GrpcResilienceProperties}, so that {@code /actuator/configprops}
 * shows the values in force rather than the class defaults. A channel first named later (built in
 * code) is resolved and validated on first use.
 *
 * <p>Thread-safety: resolved channels are cached in a concurrent map; results are immutable.
 */
public final class ChannelSettingsResolver {

    private final GrpcResilienceProperties properties;
    private final ConfiguredProperties configured;
    private final UnderlyingGrpcSettings underlying;
    private final Map<String, ChannelSettings> channels = new ConcurrentHashMap<>();

    public ChannelSettingsResolver(GrpcResilienceProperties properties, ConfiguredProperties configured,
            UnderlyingGrpcSettings underlying) {
        this.properties = properties;
        this.configured = configured;
        this.underlying = underlying;
    }

    /** The display prefix of a channel's properties, e.g. {@code grpc.resilience.client.channels.inventory}. */
    public static String channelPrefix(String channel) {
        return ChannelLevels.prefix(channel);
    }

    /**
     * Resolves and validates the defaults and every channel configured here or in the underlying
     * starter; throws on the first bad value.
     */
    public void resolveConfigured() {
        defaults();
        channelNames().forEach(this::channel);
        properties.getClient().getChannels().replaceAll((name, bound) -> channel(name).properties());
    }

    /** The settings of a channel, resolved on first use. */
    public ChannelSettings channel(String name) {
        return channels.computeIfAbsent(name, this::resolve);
    }

    /** The settings every channel starts from ({@code client.defaults} and the underlying starter's global ones). */
    public ChannelSettings defaults() {
        return channel(UnderlyingGrpcSettings.ALL_CHANNELS);
    }

    /** The channels configured here ({@code client.channels}) or in the underlying starter. */
    public Set<String> channelNames() {
        Set<String> names = new TreeSet<>(properties.getClient().getChannels().keySet());
        names.addAll(underlying.clientNames());
        return names;
    }

    /** The channels configured here, under {@code client.channels}. */
    public Set<String> configuredChannelNames() {
        return Set.copyOf(properties.getClient().getChannels().keySet());
    }

    public UnderlyingGrpcSettings underlying() {
        return underlying;
    }

    private ChannelSettings resolve(String name) {
        String prefix = ChannelLevels.prefix(name);
        ChannelProperties merged = new ChannelProperties();
        ChannelLevels.of(name).forEach(level -> configured.bindOnto(level, merged));

        ChannelSettings.KeepAlive keepAlive = ClientKeepAliveResolution.resolve(name, merged, configured, underlying);
        KeepAliveChecks.check(prefix, merged, keepAlive);

        if (!ChannelLevels.isDefaults(name)) {
            CallChecks.checkTarget(name, underlying);
        }
        CallsResolution callsResolution = new CallsResolution(name, merged, configured, underlying);
        CallChecks callChecks = new CallChecks(name, merged, callsResolution);
        callChecks.checkProperties();
        ChannelSettings.Calls calls = callsResolution.resolve();
        callChecks.checkServiceConfig(calls.serviceConfig());

        ChannelProperties.Pool pool = merged.getPool();
        PoolChecks.check(pool, ChannelLevels.of(name), configured);
        Optional<PoolSettings> poolSettings = pool.getMaxSize() <= 1 ? Optional.empty()
                : Optional.of(new PoolSettings(pool.getMinSize(), pool.getMaxSize(),
                        pool.getMaxConcurrentCallsPerConnection(), pool.effectiveMinCallsPerConnection(),
                        pool.getResizeInterval(), pool.getMaxResizeStep(), pool.getRefreshInterval()));
        return new ChannelSettings(name, prefix, merged, keepAlive, calls, poolSettings);
    }
}
