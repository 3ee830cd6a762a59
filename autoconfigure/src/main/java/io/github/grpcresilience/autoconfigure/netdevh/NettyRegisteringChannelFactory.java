package io.github.grpcresilience.autoconfigure.netdevh;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.NettyChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelProperties;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.interceptor.GlobalClientInterceptorRegistry;

/**
 * net.devh's Netty channel factory, registering every channel it builds (see {@link
 * RegisteringChannelFactories}). Its grpc-netty-shaded twin, {@code
 * ShadedNettyRegisteringChannelFactory}, is generated from this file by the build (package names
 * rewritten, as core's {@code ShadedNettyTransport}): the two net.devh superclasses share no type
 * with the protected methods used here, so one generic class cannot extend both, and a hand copy
 * would drift.
 */
final class NettyRegisteringChannelFactory extends NettyChannelFactory
        implements RegisteringChannelFactories.NetworkChannels {

    private final RegisteringChannelFactories.Registrar registrar;

    NettyRegisteringChannelFactory(GrpcChannelsProperties properties, GlobalClientInterceptorRegistry interceptors,
            List<GrpcChannelConfigurer> configurers, RegisteringChannelFactories.Registrar registrar) {
        super(properties, interceptors, configurers);
        this.registrar = registrar;
    }

    @Override
    protected ManagedChannel newManagedChannel(String name) {
        return registrar.newChannel(name, this);
    }

    @Override
    public ManagedChannel single(String name) {
        return super.newManagedChannel(name);
    }

    @Override
    public ManagedChannel member(String name) {
        NettyChannelBuilder builder = newChannelBuilder(name);
        configure(builder, name);
        return builder.build();
    }

    @Override
    public void watch(String name, ManagedChannel channel) {
        watchConnectivityState(name, channel);
    }

    /** net.devh's builder, for a multi-address static: target with the target grpc-java can parse. */
    @Override
    protected NettyChannelBuilder newChannelBuilder(String name) {
        GrpcChannelProperties properties = getPropertiesFor(name);
        return RegisteringChannelFactories.rfc3986Form(properties)
                .map(target -> NettyChannelBuilder.forTarget(target)
                        .defaultLoadBalancingPolicy(properties.getDefaultLoadBalancingPolicy()))
                .orElseGet(() -> super.newChannelBuilder(name));
    }
}
