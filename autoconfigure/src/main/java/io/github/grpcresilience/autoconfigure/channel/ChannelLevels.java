package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The property prefixes that configure a channel, least specific first: {@code client.defaults},
 * then the channel's own entry, and for a method entry the same two levels' {@code methods} entries.
 * An error message names the most specific level that sets the offending key.
 */
final class ChannelLevels {

    static final String DEFAULTS = GrpcResilienceProperties.PREFIX + ".client.defaults";
    static final String CHANNELS = GrpcResilienceProperties.PREFIX + ".client.channels";
    static final String METHODS = "methods";

    private ChannelLevels() {
    }

    /** The defaults, then the channel's entry (none for {@link UnderlyingGrpcSettings#ALL_CHANNELS}). */
    static List<String> of(String channel) {
        List<String> levels = new ArrayList<>();
        levels.add(DEFAULTS);
        if (!isDefaults(channel)) {
            levels.add(ConfiguredProperties.entry(CHANNELS, channel, ""));
        }
        return levels;
    }

    /** The channel's levels, then the method entry under the defaults and under the channel. */
    static List<String> ofMethod(String channel, String methodKey) {
        List<String> levels = of(channel);
        levels.add(ConfiguredProperties.entry(DEFAULTS + "." + METHODS, methodKey, ""));
        if (!isDefaults(channel)) {
            levels.add(ConfiguredProperties.entry(ConfiguredProperties.entry(CHANNELS, channel, METHODS), methodKey, ""));
        }
        return levels;
    }

    /** The display prefix of a channel's properties; the defaults' for {@link UnderlyingGrpcSettings#ALL_CHANNELS}. */
    static String prefix(String channel) {
        return isDefaults(channel) ? DEFAULTS : CHANNELS + "." + channel;
    }

    static boolean isDefaults(String channel) {
        return UnderlyingGrpcSettings.ALL_CHANNELS.equals(channel);
    }
}
