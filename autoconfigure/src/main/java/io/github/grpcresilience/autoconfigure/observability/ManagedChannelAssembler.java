package io.github.grpcresilience.autoconfigure.observability;

import io.grpc.ManagedChannel;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts several managed channels behind the one net.devh hands out for a client name (a pool).
 * A bean; the channel factory asks it for every channel it builds over the network.
 */
public interface ManagedChannelAssembler {

    /**
     * The channel for {@code name}, or empty to keep net.devh's single channel.
     *
     * @param newChannel builds one more channel configured exactly as net.devh's would be
     *        (keepalive, service config, every {@code GrpcChannelConfigurer}), not yet connecting;
     *        net.devh's interceptors are applied over the returned channel, once
     */
    Optional<ManagedChannel> assemble(String name, Supplier<ManagedChannel> newChannel);
}
