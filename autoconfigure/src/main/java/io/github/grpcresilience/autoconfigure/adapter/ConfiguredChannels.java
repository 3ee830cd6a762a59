package io.github.grpcresilience.autoconfigure.adapter;

import java.time.Duration;

/**
 * What the integration's own configuration says of a client channel that the generic code must
 * honour: how long startup waits for it to connect (the pool waits as long for a ready member).
 * The bean's presence also says the integration builds client channels, which switches the channel
 * registry and the pool on. The channel's target is in {@link UnderlyingGrpcSettings}.
 * Implemented by the adapter from the integration's properties (net.devh's {@code grpc.client.*}).
 */
public interface ConfiguredChannels {

    /** How long startup waits for channel {@code name} to connect; zero: it does not wait. */
    Duration immediateConnectTimeout(String name);
}
