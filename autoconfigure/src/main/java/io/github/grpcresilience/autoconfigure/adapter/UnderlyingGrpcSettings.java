package io.github.grpcresilience.autoconfigure.adapter;

import java.util.Optional;
import java.util.Set;

/**
 * What the underlying gRPC starter (net.devh, or Spring Boot's own gRPC support) configures for
 * the channels and the server, as far as the starter's settings depend on it. Only values the user
 * set explicitly count: an explicit value of the underlying starter wins over the starter's
 * default, and when the starter's own property is explicit too, the starter's wins and the
 * overlap is reported. Each adapter implements this once, as a bean; without one, nothing is
 * explicit.
 */
public interface UnderlyingGrpcSettings {

    /** The channel name that stands for every channel: the starter's {@code client.defaults}. */
    String ALL_CHANNELS = "GLOBAL";

    /** Nothing configured in an underlying starter: the starter's settings apply as they are. */
    UnderlyingGrpcSettings NONE = new UnderlyingGrpcSettings() {
        @Override
        public Set<String> clientNames() {
            return Set.of();
        }

        @Override
        public <T> Optional<Explicit<T>> client(String channel, ClientOption option, Class<T> type) {
            return Optional.empty();
        }

        @Override
        public <T> Optional<Explicit<T>> server(ServerOption option, Class<T> type) {
            return Optional.empty();
        }

        @Override
        public Optional<String> target(String channel) {
            return Optional.empty();
        }

        @Override
        public String targetProperty(String channel) {
            return "the target of channel '" + channel + "'";
        }

        @Override
        public boolean targetsOwnServer(String channel) {
            return false;
        }
    };

    /** A client option the starter also sets. */
    enum ClientOption {
        KEEPALIVE_ENABLED, KEEPALIVE_TIME, KEEPALIVE_TIMEOUT, KEEPALIVE_WITHOUT_CALLS, LOAD_BALANCING_POLICY
    }

    /** A server option the starter also sets. */
    enum ServerOption {
        KEEPALIVE_ENABLED, KEEPALIVE_TIME, KEEPALIVE_TIMEOUT, PERMIT_KEEPALIVE_TIME, PERMIT_KEEPALIVE_WITHOUT_CALLS,
        MAX_CONNECTION_IDLE, MAX_CONNECTION_AGE, MAX_CONNECTION_AGE_GRACE
    }

    /**
     * A value the user set explicitly in the underlying starter.
     *
     * @param property the property that set it, for messages (e.g. {@code grpc.client.GLOBAL.keep-alive-time})
     */
    record Explicit<T>(String property, T value) {
    }

    /** The names of the channels configured in the underlying starter, without {@link #ALL_CHANNELS}. */
    Set<String> clientNames();

    /**
     * The option as the user set it for {@code channel}, or for every channel; empty when unset.
     *
     * @param channel a channel name, or {@link #ALL_CHANNELS}
     */
    <T> Optional<Explicit<T>> client(String channel, ClientOption option, Class<T> type);

    /** The server option as the user set it, or empty. */
    <T> Optional<Explicit<T>> server(ServerOption option, Class<T> type);

    /** The channel's configured target, if any. */
    Optional<String> target(String channel);

    /** The property that holds the channel's target, for messages. */
    String targetProperty(String channel);

    /** Whether the channel targets this application's own gRPC server. */
    boolean targetsOwnServer(String channel);
}
