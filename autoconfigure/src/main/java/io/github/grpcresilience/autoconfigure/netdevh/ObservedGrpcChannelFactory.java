package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.connectivity.ChannelFailureInterceptor;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import java.util.List;
import java.util.Map;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;

/**
 * net.devh's channel factory with a {@link ChannelFailureInterceptor} outermost on every channel
 * it hands out, so the channel's monitor sees each failed call and transport failures are
 * counted per channel name.
 */
public final class ObservedGrpcChannelFactory implements GrpcChannelFactory {

    private final GrpcChannelFactory delegate;
    private final GrpcChannelRegistry registry;
    private final List<TransportFailureListener> transportFailureListeners;

    ObservedGrpcChannelFactory(GrpcChannelFactory delegate, GrpcChannelRegistry registry,
            List<TransportFailureListener> transportFailureListeners) {
        this.delegate = delegate;
        this.registry = registry;
        this.transportFailureListeners = List.copyOf(transportFailureListeners);
    }

    @Override
    public Channel createChannel(String name, List<ClientInterceptor> interceptors, boolean sortInterceptors) {
        Channel channel = delegate.createChannel(name, interceptors, sortInterceptors);
        return registry.get(name)
                .map(entry -> ClientInterceptors.intercept(channel, new ChannelFailureInterceptor(entry.monitor(),
                        code -> transportFailureListeners.forEach(listener -> listener.onTransportFailure(name, code)))))
                .orElse(channel);
    }

    @Override
    public Map<String, ConnectivityState> getConnectivityState() {
        return delegate.getConnectivityState();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
