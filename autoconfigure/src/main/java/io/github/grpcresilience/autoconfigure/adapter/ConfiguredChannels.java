package io.github.grpcresilience.autoconfigure.adapter;

import java.time.Duration;
import java.util.Optional;

/**
 * What the integration's own configuration says of a client channel, for the generic code that
 * must honour it: the target it connects to and how long startup waits for it to connect.
 * Implemented by the adapter from the integration's properties (net.devh's {@code grpc.client.*}).
 */
public interface ConfiguredChannels {

    /** The configured target (address) of channel {@code name}, as written, if any. */
    Optional<String> target(String name);

    /** How long startup waits for channel {@code name} to connect; zero: it does not wait. */
    Duration immediateConnectTimeout(String name);
}
