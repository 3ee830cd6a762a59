package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import java.time.Duration;

/**
 * The channels as Spring Boot's {@code spring.grpc.client.channel.*} properties configure them.
 * Boot has no setting that waits at startup for a channel to connect (its channels connect on the
 * first call), so no channel waits.
 */
final class SpringGrpcChannels implements ConfiguredChannels {

    @Override
    public Duration immediateConnectTimeout(String name) {
        return Duration.ZERO;
    }
}
