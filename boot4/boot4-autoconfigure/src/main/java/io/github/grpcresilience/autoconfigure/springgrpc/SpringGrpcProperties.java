package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.convert.DurationStyle;

/**
 * Spring Boot's own {@code spring.grpc.client.channel.<name>.*} and {@code spring.grpc.server.*}
 * properties, read from the environment so that only values the user set explicitly count (Boot's
 * getters return its defaults: keepalive 5 min, round_robin, ...), with no Spring gRPC type needed.
 *
 * <p>Boot applies a channel's own entry, or the {@code default} entry when the channel has none
 * (the two are not merged): here {@code default} is {@link #ALL_CHANNELS}, and a channel with an
 * entry of its own sees only that entry. Durations are read as Boot binds them: a bare number is
 * seconds.
 */
public final class SpringGrpcProperties implements UnderlyingGrpcSettings {

    static final String CLIENT = "spring.grpc.client.channel";
    static final String SERVER = "spring.grpc.server";
    /** Boot's entry that configures every channel without an entry of its own. */
    static final String DEFAULT_CHANNEL = "default";
    /** Boot's target for a channel entry without one ({@code GrpcClientProperties.Channel}). */
    static final String DEFAULT_TARGET = "static://localhost:9090";
    /** Boot's server port when unset ({@code GrpcUtils.DEFAULT_PORT}). */
    private static final int DEFAULT_SERVER_PORT = 9090;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1", "0.0.0.0");
    private static final Map<ClientOption, String> CLIENT_KEYS = new EnumMap<>(Map.of(
            ClientOption.KEEPALIVE_TIME, "keepalive.time",
            ClientOption.KEEPALIVE_TIMEOUT, "keepalive.timeout",
            ClientOption.KEEPALIVE_WITHOUT_CALLS, "keepalive.without-calls",
            ClientOption.LOAD_BALANCING_POLICY, "default.load-balancing-policy"));
    private static final Map<ServerOption, String> SERVER_KEYS = new EnumMap<>(Map.of(
            ServerOption.KEEPALIVE_TIME, "keepalive.time",
            ServerOption.KEEPALIVE_TIMEOUT, "keepalive.timeout",
            ServerOption.PERMIT_KEEPALIVE_TIME, "keepalive.permit.time",
            ServerOption.PERMIT_KEEPALIVE_WITHOUT_CALLS, "keepalive.permit.without-calls",
            ServerOption.MAX_CONNECTION_IDLE, "keepalive.connection.max-idle-time",
            ServerOption.MAX_CONNECTION_AGE, "keepalive.connection.max-age",
            ServerOption.MAX_CONNECTION_AGE_GRACE, "keepalive.connection.grace-period"));

    private final ConfiguredProperties configured;

    public SpringGrpcProperties(ConfiguredProperties configured) {
        this.configured = configured;
    }

    @Override
    public Set<String> clientNames() {
        Set<String> names = new TreeSet<>(configured.mapKeys(CLIENT));
        names.remove(DEFAULT_CHANNEL);
        return names;
    }

    /** Boot's entry for the channel: its own when it has one, else {@code default}. */
    String entryOf(String channel) {
        if (ALL_CHANNELS.equals(channel) || DEFAULT_CHANNEL.equals(channel)) {
            return DEFAULT_CHANNEL;
        }
        return hasEntry(channel) ? channel : DEFAULT_CHANNEL;
    }

    /** Whether {@code spring.grpc.client.channel.<channel>} has any property set. */
    boolean hasEntry(String channel) {
        return configured.isAnySet(ConfiguredProperties.entry(CLIENT, channel, ""));
    }

    /** The property {@code key} of Boot's entry for the channel, e.g. {@code spring.grpc.client.channel.x.keepalive.time}. */
    String property(String channel, String key) {
        return ConfiguredProperties.entry(CLIENT, entryOf(channel), key);
    }

    /** Whether anything at or below {@code key} is set in Boot's entry for the channel. */
    Optional<String> whereSet(String channel, String key) {
        String property = property(channel, key);
        return configured.isAnySet(property) ? Optional.of(property) : Optional.empty();
    }

    /**
     * The channel's own entry when it has one (Boot ignores {@code default} for it), else the
     * {@code default} entry.
     */
    @Override
    public <T> Optional<Explicit<T>> client(String channel, ClientOption option, Class<T> type) {
        if (option == ClientOption.KEEPALIVE_ENABLED) {
            return keepAliveSet(channel).map(property -> new Explicit<>(property, type.cast(Boolean.TRUE)));
        }
        return explicit(property(channel, CLIENT_KEYS.get(option)), type);
    }

    /**
     * Boot has no keepalive switch (its keepalive is always on, 5 min by default): setting any of
     * its keepalive options explicitly is what makes Boot's keepalive count as explicitly on, so
     * that its explicit values win over the starter's defaults.
     */
    private Optional<String> keepAliveSet(String channel) {
        return java.util.stream.Stream.of(ClientOption.KEEPALIVE_TIME, ClientOption.KEEPALIVE_TIMEOUT,
                        ClientOption.KEEPALIVE_WITHOUT_CALLS)
                .map(option -> property(channel, CLIENT_KEYS.get(option))).filter(configured::isSet).findFirst();
    }

    /**
     * As for channels, Boot's server keepalive is always on (2 h by default): setting its time or
     * timeout explicitly makes it count as explicitly on, so that those values win over the
     * starter's defaults.
     */
    @Override
    public <T> Optional<Explicit<T>> server(ServerOption option, Class<T> type) {
        if (option == ServerOption.KEEPALIVE_ENABLED) {
            return java.util.stream.Stream.of(ServerOption.KEEPALIVE_TIME, ServerOption.KEEPALIVE_TIMEOUT)
                    .map(keepalive -> SERVER + "." + SERVER_KEYS.get(keepalive)).filter(configured::isSet).findFirst()
                    .map(property -> new Explicit<>(property, type.cast(Boolean.TRUE)));
        }
        String key = SERVER_KEYS.get(option);
        return key == null ? Optional.empty() : explicit(SERVER + "." + key, type);
    }

    private <T> Optional<Explicit<T>> explicit(String property, Class<T> type) {
        if (!configured.isSet(property)) {
            return Optional.empty();
        }
        Optional<T> value = type == Duration.class
                ? configured.get(property, String.class)
                        .map(text -> type.cast(DurationStyle.detectAndParse(text.trim(), ChronoUnit.SECONDS)))
                : configured.get(property, type);
        return value.map(v -> new Explicit<>(property, v));
    }

    /**
     * The target Boot connects the channel to: its entry's {@code target} (Boot's default target
     * when the entry sets none); for a name without an entry, the name itself when it is an
     * address, as Boot's {@code PropertiesVirtualTargets} does.
     */
    @Override
    public Optional<String> target(String channel) {
        if (DEFAULT_CHANNEL.equals(channel) || ALL_CHANNELS.equals(channel) || hasEntry(channel)) {
            String name = ALL_CHANNELS.equals(channel) ? DEFAULT_CHANNEL : channel;
            return Optional.of(configured.get(ConfiguredProperties.entry(CLIENT, name, "target"), String.class)
                    .orElse(DEFAULT_TARGET));
        }
        return channel.contains(":/") || channel.startsWith("unix:") ? Optional.of(channel) : Optional.empty();
    }

    @Override
    public String targetProperty(String channel) {
        return ConfiguredProperties.entry(CLIENT, ALL_CHANNELS.equals(channel) ? DEFAULT_CHANNEL : channel, "target");
    }

    @Override
    public boolean targetsOwnServer(String channel) {
        if (!configured.isAnySet("spring.grpc.server") && !serverOnClassPath()) {
            return false;
        }
        int port = configured.get(SERVER + ".port", Integer.class).orElse(DEFAULT_SERVER_PORT);
        return port > 0 && target(channel).filter(target -> targetsOwnServer(target, port)).isPresent();
    }

    private static boolean serverOnClassPath() {
        return org.springframework.util.ClassUtils.isPresent(
                "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
                SpringGrpcProperties.class.getClassLoader());
    }

    /**
     * Whether a Boot target ({@code static://localhost:9090}, {@code tcp://...}, {@code dns:///...},
     * {@code localhost:9090}) is a loopback address on the server's port.
     */
    static boolean targetsOwnServer(String target, int serverPort) {
        String hostPort = target.trim().replaceFirst("^(static|tcp|dns):/*", "");
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || hostPort.contains("/")) {
            return false;
        }
        String host = hostPort.substring(0, colon).toLowerCase(Locale.ROOT);
        return LOOPBACK_HOSTS.contains(host) && hostPort.substring(colon + 1).equals(Integer.toString(serverPort));
    }
}
