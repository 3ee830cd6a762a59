package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.observability.EffectiveChannelSettings;
import io.github.grpcresilience.connectivity.ChannelFailureInterceptor;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import io.grpc.ManagedChannel;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Turns what Spring gRPC builds for a channel name into the channel the application uses: over the
 * network, first lets a {@link ManagedChannelAssembler} (a pool) put several channels behind the
 * name; registers the result in the {@link GrpcChannelRegistry} with its {@link
 * EffectiveChannelSettings}; hands it out with a {@link ChannelFailureInterceptor} outermost, so
 * its monitor sees each failed call and transport failures are counted per channel name. The
 * beans are looked up on first use: the factories it wraps are post-processed early.
 */
final class ChannelRegistration {

    private final ObjectProvider<GrpcChannelRegistry> registry;
    private final ObjectProvider<EffectiveChannelSettings> settings;
    private final ObjectProvider<ManagedChannelAssembler> assemblers;
    private final ObjectProvider<TransportFailureListener> failureListeners;
    private final ObjectProvider<UnderlyingGrpcSettings> underlying;

    ChannelRegistration(ObjectProvider<GrpcChannelRegistry> registry, ObjectProvider<EffectiveChannelSettings> settings,
            ObjectProvider<ManagedChannelAssembler> assemblers,
            ObjectProvider<TransportFailureListener> failureListeners, ObjectProvider<UnderlyingGrpcSettings> underlying) {
        this.registry = registry;
        this.settings = settings;
        this.assemblers = assemblers;
        this.failureListeners = failureListeners;
        this.underlying = underlying;
    }

    /**
     * The registered channel for {@code name}.
     *
     * @param network whether {@code build} makes network channels (only those are pooled)
     * @param build builds one channel exactly as Spring gRPC configures it for the name
     */
    ManagedChannel newChannel(String name, boolean network, Supplier<ManagedChannel> build) {
        ManagedChannelAssembler assembler = network ? assemblers.getIfAvailable() : null;
        Optional<ManagedChannel> assembled = assembler == null ? Optional.empty() : assembler.assemble(name, build);
        ManagedChannel channel = assembled.orElseGet(build);
        String target = underlying.getIfAvailable(() -> UnderlyingGrpcSettings.NONE).target(name).orElse(name);
        GrpcChannelRegistry.Entry entry = registry.getObject().register(name, target, channel,
                settings.getObject().describe(name));
        var listeners = failureListeners.orderedStream().toList();
        return new ObservedManagedChannel(channel, new ChannelFailureInterceptor(entry.monitor(),
                code -> listeners.forEach(listener -> listener.onTransportFailure(name, code))));
    }
}
