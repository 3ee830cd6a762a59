package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsView;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The settings a channel is built with, as the {@code grpc} endpoint shows them: its resolved
 * {@link io.github.grpcresilience.autoconfigure.channel.ChannelSettings} and what the transport
 * hook applied. Apart from the adapter that registers each channel, so that every adapter shows
 * the same view.
 */
public final class EffectiveChannelSettings {

    private final ChannelSettingsResolver settings;
    private final ObjectProvider<ResilientChannelConfigurer> configurer;

    public EffectiveChannelSettings(ChannelSettingsResolver settings,
            ObjectProvider<ResilientChannelConfigurer> configurer) {
        this.settings = settings;
        this.configurer = configurer;
    }

    /** The settings channel {@code name} is built with, for the endpoint. */
    public ChannelSettingsView describe(String name) {
        ResilientChannelConfigurer applied = configurer.getIfAvailable();
        return ChannelSettingsView.of(settings.channel(name), applied == null ? null : applied.applied().get(name));
    }
}
