package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * net.devh's own {@code grpc.client.*} / {@code grpc.server.*} properties, read from the
 * environment so that it is known which ones the user set explicitly (net.devh's getters return
 * defaults for unset values) and so this class needs none of net.devh's types.
 */
public final class NetDevhProperties {

    public static final String GLOBAL = "GLOBAL";
    static final String SERVER = "grpc.server";
    private static final String CLIENT = "grpc.client";
    private static final int DEFAULT_SERVER_PORT = 9090;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final ConfiguredProperties configured;

    NetDevhProperties(ConfiguredProperties configured) {
        this.configured = configured;
    }

    /** The display name of a client property, e.g. {@code grpc.client.inventory.keep-alive-time}. */
    public static String clientProperty(String channel, String key) {
        return CLIENT + "." + channel + "." + key;
    }

    /** The display name of a server property, e.g. {@code grpc.server.permit-keep-alive-time}. */
    static String serverProperty(String key) {
        return SERVER + "." + key;
    }

    /** Channel names configured under {@code grpc.client}, without {@code GLOBAL}. */
    public Set<String> clientNames() {
        Set<String> names = new TreeSet<>(configured.mapKeys(CLIENT));
        names.remove(GLOBAL);
        return names;
    }

    /**
     * The name under which a client key is set for this channel (its own entry, else GLOBAL), or
     * empty when net.devh uses its default.
     */
    public Optional<String> explicitClientKey(String channel, String key) {
        for (String name : new String[] {channel, GLOBAL}) {
            if (configured.isSet(ConfiguredProperties.entry(CLIENT, name, key))) {
                return Optional.of(clientProperty(name, key));
            }
        }
        return Optional.empty();
    }

    public <T> Optional<T> clientValue(String channel, String key, Class<T> type) {
        Optional<T> own = configured.get(ConfiguredProperties.entry(CLIENT, channel, key), type);
        return own.isPresent() ? own : configured.get(ConfiguredProperties.entry(CLIENT, GLOBAL, key), type);
    }

    boolean isServerSet(String key) {
        return configured.isSet(SERVER + "." + key);
    }

    <T> Optional<T> serverValue(String key, Class<T> type) {
        return configured.get(SERVER + "." + key, type);
    }

    /** The server port, {@code 9090} when unset (net.devh's default), {@code -1} for no server. */
    int serverPort() {
        return serverValue("port", Integer.class).orElse(DEFAULT_SERVER_PORT);
    }

    /** Whether the channel's address is this application's own net.devh server. */
    public boolean targetsOwnServer(String channel) {
        int port = serverPort();
        return port >= 0 && clientValue(channel, "address", String.class)
                .filter(address -> targetsOwnServer(address, port)).isPresent();
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

    Optional<Duration> serverDuration(String key) {
        return serverValue(key, Duration.class);
    }
}
