package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * net.devh's own {@code grpc.client.*} / {@code grpc.server.*} properties, read from the
 * environment so that it is known which ones the user set explicitly (net.devh's getters return
 * defaults for unset values) and so this class needs none of net.devh's types.
 */
public final class NetDevhProperties implements UnderlyingGrpcSettings {

    private static final String SERVER = "grpc.server";
    private static final String CLIENT = "grpc.client";
    private static final int DEFAULT_SERVER_PORT = 9090;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    private static final Map<ClientOption, String> CLIENT_KEYS = new EnumMap<>(Map.of(
            ClientOption.KEEPALIVE_ENABLED, "enable-keep-alive",
            ClientOption.KEEPALIVE_TIME, "keep-alive-time",
            ClientOption.KEEPALIVE_TIMEOUT, "keep-alive-timeout",
            ClientOption.KEEPALIVE_WITHOUT_CALLS, "keep-alive-without-calls",
            ClientOption.LOAD_BALANCING_POLICY, "default-load-balancing-policy"));
    private static final Map<ServerOption, String> SERVER_KEYS = new EnumMap<>(Map.of(
            ServerOption.KEEPALIVE_ENABLED, "enable-keep-alive",
            ServerOption.KEEPALIVE_TIME, "keep-alive-time",
            ServerOption.KEEPALIVE_TIMEOUT, "keep-alive-timeout",
            ServerOption.PERMIT_KEEPALIVE_TIME, "permit-keep-alive-time",
            ServerOption.PERMIT_KEEPALIVE_WITHOUT_CALLS, "permit-keep-alive-without-calls",
            ServerOption.MAX_CONNECTION_IDLE, "max-connection-idle",
            ServerOption.MAX_CONNECTION_AGE, "max-connection-age",
            ServerOption.MAX_CONNECTION_AGE_GRACE, "max-connection-age-grace"));

    private final ConfiguredProperties configured;

    public NetDevhProperties(ConfiguredProperties configured) {
        this.configured = configured;
    }

    @Override
    public Set<String> clientNames() {
        Set<String> names = new TreeSet<>(configured.mapKeys(CLIENT));
        names.remove(ALL_CHANNELS);
        return names;
    }

    /** The channel's own entry first, then net.devh's GLOBAL entry. */
    @Override
    public <T> Optional<Explicit<T>> client(String channel, ClientOption option, Class<T> type) {
        String key = CLIENT_KEYS.get(option);
        for (String name : new String[] {channel, ALL_CHANNELS}) {
            String property = ConfiguredProperties.entry(CLIENT, name, key);
            if (configured.isSet(property)) {
                return configured.get(property, type).map(value -> new Explicit<>(CLIENT + "." + name + "." + key, value));
            }
        }
        return Optional.empty();
    }

    @Override
    public <T> Optional<Explicit<T>> server(ServerOption option, Class<T> type) {
        String property = SERVER + "." + SERVER_KEYS.get(option);
        return configured.isSet(property)
                ? configured.get(property, type).map(value -> new Explicit<>(property, value))
                : Optional.empty();
    }

    @Override
    public Optional<String> target(String channel) {
        Optional<String> own = configured.get(ConfiguredProperties.entry(CLIENT, channel, "address"), String.class);
        return own.isPresent() ? own
                : configured.get(ConfiguredProperties.entry(CLIENT, ALL_CHANNELS, "address"), String.class);
    }

    @Override
    public String targetProperty(String channel) {
        return CLIENT + "." + channel + ".address";
    }

    /** The server port, {@code 9090} when unset (net.devh's default), {@code -1} for no server. */
    private int serverPort() {
        return configured.get(SERVER + ".port", Integer.class).orElse(DEFAULT_SERVER_PORT);
    }

    @Override
    public boolean targetsOwnServer(String channel) {
        int port = serverPort();
        return port >= 0 && target(channel).filter(address -> targetsOwnServer(address, port)).isPresent();
    }

    /** Whether a net.devh address ({@code self:self}, {@code static://127.0.0.1:9090}, ...) is this server. */
    static boolean targetsOwnServer(String address, int serverPort) {
        URI uri;
        try {
            uri = URI.create(address.trim());
        } catch (IllegalArgumentException ex) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("self")) {
            return true;
        }
        if (!scheme.equals("static") && !scheme.equals("dns")) {
            return false;
        }
        String hostPort = uri.getRawAuthority() != null && scheme.equals("static") ? uri.getRawAuthority()
                : uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = hostPort.substring(0, colon).toLowerCase(Locale.ROOT);
        String port = hostPort.substring(colon + 1);
        return LOOPBACK_HOSTS.contains(host) && port.equals(Integer.toString(serverPort));
    }
}
