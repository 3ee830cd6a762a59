package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import java.time.Duration;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;

/** The channels as net.devh's {@code grpc.client.<name>.*} properties configure them. */
final class NetDevhChannels implements ConfiguredChannels {

    private final GrpcChannelsProperties properties;

    NetDevhChannels(GrpcChannelsProperties properties) {
        this.properties = properties;
    }

    @Override
    public Duration immediateConnectTimeout(String name) {
        return properties.getChannel(name).getImmediateConnectTimeout();
    }
}
