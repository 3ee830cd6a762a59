package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.resolver.StaticTarget;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.InProcessChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelProperties;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.interceptor.GlobalClientInterceptorRegistry;

/**
 * net.devh's channel factories, extended only to hand every managed channel they build to the
 * registry (net.devh exposes the {@link ManagedChannel} nowhere else) and, over the network, to
 * let a {@link io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler} put a pool
 * behind a name. Each flavour is a separate class so that only the one whose transport is on the
 * class path is ever loaded: {@link InProcess} here, {@link NettyRegisteringChannelFactory} and its
 * twin {@code ShadedNettyRegisteringChannelFactory}, which the build generates from it.
 */
final class RegisteringChannelFactories {

    /** Registers each managed channel; over the network, first chooses how it is built. */
    interface Registrar {
        /** Registers a channel right after it was built (in-process channels). */
        void register(String name, ManagedChannel channel);

        /** The channel for {@code name}, built from {@code source} alone or assembled; registered. */
        ManagedChannel newChannel(String name, NetworkChannels source);
    }

    /** What a network factory builds for a name, for the {@link Registrar} to choose from. */
    interface NetworkChannels {
        /** net.devh's channel: built, connected on startup if so configured, its state watched. */
        ManagedChannel single(String name);

        /** A channel configured as net.devh's single one, nothing more. */
        ManagedChannel member(String name);

        /** net.devh's state watch (its {@code getConnectivityState()}), for an assembled channel. */
        void watch(String name, ManagedChannel channel);
    }

    private RegisteringChannelFactories() {
    }

    /**
     * net.devh documents {@code static://h1:p1,h2:p2}, which grpc-java 1.83+ rejects at channel
     * creation (RFC 3986 target parsing); the starter's static provider serves the same list as
     * {@code static:///h1:p1,h2:p2}.
     */
    static Optional<String> rfc3986Form(GrpcChannelProperties properties) {
        URI address = properties.getAddress();
        return address == null ? Optional.empty() : StaticTarget.rfc3986Form(address.toString());
    }

    static final class InProcess extends InProcessChannelFactory {
        private final Registrar registrar;

        InProcess(GrpcChannelsProperties properties, GlobalClientInterceptorRegistry interceptors,
                List<GrpcChannelConfigurer> configurers, Registrar registrar) {
            super(properties, interceptors, configurers);
            this.registrar = registrar;
        }

        @Override
        protected ManagedChannel newManagedChannel(String name) {
            ManagedChannel channel = super.newManagedChannel(name);
            registrar.register(name, channel);
            return channel;
        }
    }
}
