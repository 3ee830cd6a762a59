package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler;
import io.github.grpcresilience.autoconfigure.observability.EffectiveChannelSettings;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.util.Optional;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Registers each channel net.devh builds, with its target and its {@link EffectiveChannelSettings},
 * for the actuator endpoint; over the network, first lets a {@link ManagedChannelAssembler} (a
 * pool) take the channel's place.
 */
final class ChannelRegistrar implements RegisteringChannelFactories.Registrar {

    private final GrpcChannelRegistry registry;
    private final GrpcChannelsProperties channels;
    private final EffectiveChannelSettings settings;
    private final ObjectProvider<ManagedChannelAssembler> assemblers;

    ChannelRegistrar(GrpcChannelRegistry registry, GrpcChannelsProperties channels, EffectiveChannelSettings settings,
            ObjectProvider<ManagedChannelAssembler> assemblers) {
        this.registry = registry;
        this.channels = channels;
        this.settings = settings;
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
        registry.register(name, address != null ? address.toString() : name, channel, settings.describe(name));
    }
}
