package io.github.grpcresilience.autoconfigure.adapter;

import io.grpc.ManagedChannel;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts several managed channels behind the one the integration hands out for a client name (a
 * pool). A bean; the pool's extension point, in the seam so that pools depend on no adapter. The
 * adapter's channel factory asks it for every channel it builds over the network.
 */
public interface ManagedChannelAssembler {

    /**
     * The channel for {@code name}, or empty to keep the integration's single channel.
     *
     * @param newChannel builds one more channel configured exactly as the integration's own would
     *        be (keepalive, service config, every {@link ChannelBuilderCustomizer} and user hook), not
     *        yet connecting; the integration's interceptors are applied over the returned channel, once
     */
    Optional<ManagedChannel> assemble(String name, Supplier<ManagedChannel> newChannel);
}
