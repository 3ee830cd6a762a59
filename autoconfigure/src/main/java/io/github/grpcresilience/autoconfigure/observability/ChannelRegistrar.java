package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsView;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.util.Optional;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Registers each channel net.devh builds, with its target and the effective settings it was built
 * with (after the defaults were merged and net.devh's explicit properties were taken into
 * account), for the actuator endpoint.
 */
final class ChannelRegistrar implements RegisteringChannelFactories.Registrar {

    private final GrpcChannelRegistry registry;
    private final GrpcChannelsProperties channels;
    private final ChannelSettingsResolver settings;
    private final ObjectProvider<ResilientChannelConfigurer> configurer;
    private final ObjectProvider<ManagedChannelAssembler> assemblers;

    ChannelRegistrar(GrpcChannelRegistry registry, GrpcChannelsProperties channels, ChannelSettingsResolver settings,
            ObjectProvider<ResilientChannelConfigurer> configurer, ObjectProvider<ManagedChannelAssembler> assemblers) {
        this.registry = registry;
        this.channels = channels;
        this.settings = settings;
        this.configurer = configurer;
        this.assemblers = assemblers;
    }

    @Override
    public ManagedChannel newChannel(String name, RegisteringChannelFactories.NetworkChannels source) {
        ManagedChannelAssembler assembler = assemblers.getIfAvailable();
        Optional<ManagedChannel> assembled = assembler == null ? Optional.empty()
                : assembler.assemble(name, () -> source.member(name));
        ManagedChannel channel = assembled.orElseGet(() -> source.single(name));
        if (assembled.isPresent()) {
            source.watch(name, channel);
        }
        register(name, channel);
        return channel;
    }

    @Override
    public void register(String name, ManagedChannel channel) {
        URI address = channels.getChannel(name).getAddress();
        String target = address != null ? address.toString() : name;
        registry.register(name, target, channel, effectiveSettings(name));
    }

    private ChannelSettingsView effectiveSettings(String name) {
        ResilientChannelConfigurer applied = configurer.getIfAvailable();
        return ChannelSettingsView.of(settings.channel(name), "net.devh grpc.client." + name,
                applied == null ? null : applied.applied().get(name));
    }
}
