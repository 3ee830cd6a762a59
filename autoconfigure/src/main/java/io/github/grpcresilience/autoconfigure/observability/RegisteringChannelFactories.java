package io.github.grpcresilience.autoconfigure.observability;

import io.grpc.ManagedChannel;
import java.util.List;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.InProcessChannelFactory;
import net.devh.boot.grpc.client.channelfactory.NettyChannelFactory;
import net.devh.boot.grpc.client.channelfactory.ShadedNettyChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.interceptor.GlobalClientInterceptorRegistry;

/**
 * net.devh's channel factories, extended only to hand every managed channel they build to the
 * registry: net.devh exposes the {@link ManagedChannel} nowhere else. Each flavour is a separate
 * class so that only the one whose transport is on the class path is ever loaded.
 */
final class RegisteringChannelFactories {

    /** Receives each managed channel right after it was built. */
    @FunctionalInterface
    interface Registrar {
        void register(String name, ManagedChannel channel);
    }

    private RegisteringChannelFactories() {
    }

    static final class ShadedNetty extends ShadedNettyChannelFactory {
        private final Registrar registrar;

        ShadedNetty(GrpcChannelsProperties properties, GlobalClientInterceptorRegistry interceptors,
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

    static final class Netty extends NettyChannelFactory {
        private final Registrar registrar;

        Netty(GrpcChannelsProperties properties, GlobalClientInterceptorRegistry interceptors,
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
