package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.keepalive.ClientKeepAlivePolicy;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import io.github.grpcresilience.keepalive.ServerKeepAlivePolicy;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the effective keepalive settings of each channel and of the server: our defaults, a
 * channel's overrides bound on top field by field, and net.devh's own properties where the user
 * set them explicitly. Rule: an explicit net.devh property wins over our default; when ours is
 * explicit too, ours wins and the overlap is reported (one startup WARN naming both).
 *
 * <p>Thread-safety: channels are resolved on first use and cached in a concurrent map; the result
 * objects are immutable apart from the {@link ChannelProperties} snapshot, which nobody mutates.
 */
public final class KeepAliveSettings {

    public static final String CLIENT_DEFAULTS = GrpcResilienceProperties.PREFIX + ".client.defaults";
    public static final String CLIENT_CHANNELS = GrpcResilienceProperties.PREFIX + ".client.channels";
    public static final String SERVER = GrpcResilienceProperties.PREFIX + ".server";

    /** grpc-java disables keepalive for this time. */
    static final Duration DISABLED = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * The resolved settings of one client channel.
     *
     * @param name the net.devh client name
     * @param properties our properties after the channel's overrides were bound onto the defaults
     * @param policy what the starter applies to the builder
     * @param keepAliveTime the HTTP/2 keepalive time in force after net.devh's settings, or empty when off
     * @param keepAliveWithoutCalls whether the channel pings without calls, after net.devh's settings
     * @param overlaps warnings for options set both by net.devh and by us
     */
    public record Client(String name, ChannelProperties properties, ClientKeepAlivePolicy policy,
            Optional<Duration> keepAliveTime, boolean keepAliveWithoutCalls, List<String> overlaps) {
    }

    /**
     * The resolved settings of the server.
     *
     * @param policy what the starter applies to the builder
     * @param permitTime the permit-keepalive time in force after net.devh's settings
     * @param permitWithoutCalls the permit-without-calls in force after net.devh's settings
     * @param overlaps warnings for options set both by net.devh and by us
     */
    public record Server(ServerKeepAlivePolicy policy, Duration permitTime, boolean permitWithoutCalls,
            List<String> overlaps) {
    }

    private final ConfiguredProperties configured;
    private final NetDevhProperties devh;
    private final GrpcResilienceProperties properties;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Server server;

    public KeepAliveSettings(GrpcResilienceProperties properties, ConfiguredProperties configured) {
        this.properties = properties;
        this.configured = configured;
        this.devh = new NetDevhProperties(configured);
        this.server = resolveServer();
    }

    /**
     * The property prefixes that configure a client channel, least specific first: the defaults,
     * then the channel's own entry (none for net.devh's {@code GLOBAL}, which the defaults are).
     */
    public static List<String> clientLevels(String channel) {
        List<String> levels = new ArrayList<>();
        levels.add(CLIENT_DEFAULTS);
        if (!NetDevhProperties.GLOBAL.equals(channel)) {
            levels.add(ConfiguredProperties.entry(CLIENT_CHANNELS, channel, ""));
        }
        return levels;
    }

    /** The display prefix of a channel's properties, e.g. {@code grpc.resilience.client.channels.inventory}. */
    public static String channelPrefix(String channel) {
        return CLIENT_CHANNELS + "." + channel;
    }

    public GrpcResilienceProperties properties() {
        return properties;
    }

    public NetDevhProperties netDevh() {
        return devh;
    }

    /** The settings of a channel (resolved on first use). */
    public Client client(String channel) {
        return clients.computeIfAbsent(channel, this::resolveClient);
    }

    public Server server() {
        return server;
    }

    private Client resolveClient(String name) {
        ChannelProperties merged = new ChannelProperties();
        configured.bindOnto(CLIENT_DEFAULTS, merged);
        configured.bindOnto(ConfiguredProperties.entry(CLIENT_CHANNELS, name, ""), merged);

        ChannelProperties.TcpKeepalive tcp = merged.getTcpKeepalive();
        TcpKeepAlive tcpKeepAlive = tcp.isEnabled()
                ? new TcpKeepAlive(true, tcp.getIdle(), tcp.getInterval(), tcp.getCount(), tcp.getUserTimeout())
                : TcpKeepAlive.DISABLED;

        ChannelProperties.Keepalive http2 = merged.getKeepalive();
        Optional<Boolean> devhEnabled = devh.explicitClientKey(name, "enable-keep-alive")
                .flatMap(key -> devh.clientValue(name, "enable-keep-alive", Boolean.class));
        List<String> overlaps = new ArrayList<>();
        Choice choice = new Choice(name, overlaps);
        Duration time = choice.client("keepalive.time", http2.isEnabled() ? http2.getTime() : DISABLED,
                devhEnabled, "keep-alive-time", "keepalive.enabled");
        Duration timeout = http2.isEnabled()
                ? choice.client("keepalive.timeout", http2.getTimeout(), devhEnabled, "keep-alive-timeout")
                : null;
        Boolean withoutCalls = choice.client("keepalive.without-calls", http2.isWithoutCalls(), devhEnabled,
                "keep-alive-without-calls");
        ClientKeepAlivePolicy policy = new ClientKeepAlivePolicy(tcpKeepAlive, time, timeout, withoutCalls,
                merged.getIdleTimeout());

        Optional<Duration> effectiveTime;
        boolean effectiveWithoutCalls;
        if (time != null) {
            effectiveTime = time.equals(DISABLED) ? Optional.empty() : Optional.of(time);
        } else if (devhEnabled.orElse(false)) {
            effectiveTime = Optional.of(devh.clientValue(name, "keep-alive-time", Duration.class)
                    .orElse(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME));
        } else {
            effectiveTime = Optional.empty();
        }
        effectiveWithoutCalls = withoutCalls != null ? withoutCalls
                : devhEnabled.orElse(false) && devh.clientValue(name, "keep-alive-without-calls", Boolean.class)
                        .orElse(false);
        return new Client(name, merged, policy, effectiveTime, effectiveWithoutCalls, List.copyOf(overlaps));
    }

    private Server resolveServer() {
        GrpcResilienceProperties.Server ours = properties.getServer();
        List<String> overlaps = new ArrayList<>();
        Choice choice = new Choice(null, overlaps);
        Optional<Boolean> devhEnabled = devh.isServerSet("enable-keep-alive")
                ? devh.serverValue("enable-keep-alive", Boolean.class) : Optional.empty();
        boolean devhKeepAlive = devhEnabled.isPresent();
        Duration time = choice.server("keepalive.time", ours.getKeepalive().getTime(),
                devhKeepAlive && (!devhEnabled.get() || devh.isServerSet("keep-alive-time")), "keep-alive-time");
        Duration timeout = choice.server("keepalive.timeout", ours.getKeepalive().getTimeout(),
                devhKeepAlive && (!devhEnabled.get() || devh.isServerSet("keep-alive-timeout")),
                "keep-alive-timeout");
        Duration permitTime = choice.server("permit-keepalive.time", ours.getPermitKeepalive().getTime(),
                devh.isServerSet("permit-keep-alive-time"), "permit-keep-alive-time");
        Boolean permitWithoutCalls = choice.server("permit-keepalive.without-calls",
                ours.getPermitKeepalive().isWithoutCalls(), devh.isServerSet("permit-keep-alive-without-calls"),
                "permit-keep-alive-without-calls");
        Duration maxIdle = choice.server("connection.max-idle", ours.getConnection().getMaxIdle(),
                devh.isServerSet("max-connection-idle"), "max-connection-idle");
        Duration maxAge = choice.server("connection.max-age", ours.getConnection().getMaxAge(),
                devh.isServerSet("max-connection-age"), "max-connection-age");
        Duration maxAgeGrace = choice.server("connection.max-age-grace", ours.getConnection().getMaxAgeGrace(),
                devh.isServerSet("max-connection-age-grace"), "max-connection-age-grace");
        ServerKeepAlivePolicy policy = new ServerKeepAlivePolicy(time, timeout, permitTime, permitWithoutCalls,
                maxIdle, maxAge, maxAgeGrace);
        Duration effectivePermit = permitTime != null ? permitTime
                : devh.serverDuration("permit-keep-alive-time").orElse(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME);
        boolean effectivePermitWithoutCalls = permitWithoutCalls != null ? permitWithoutCalls
                : devh.serverValue("permit-keep-alive-without-calls", Boolean.class).orElse(false);
        return new Server(policy, effectivePermit, effectivePermitWithoutCalls, List.copyOf(overlaps));
    }

    /** Decides, option by option, whether our value or net.devh's applies. */
    private final class Choice {
        private final String channel;
        private final List<String> overlaps;

        Choice(String channel, List<String> overlaps) {
            this.channel = channel;
            this.overlaps = overlaps;
        }

        /**
         * @param devhEnabled net.devh's explicit enable-keep-alive for the channel: when explicitly
         *        false net.devh owns every keepalive option (the user switched it off)
         * @param alsoOurs further keys of ours that count as setting this option
         */
        <T> T client(String key, T ours, Optional<Boolean> devhEnabled, String devhKey, String... alsoOurs) {
            Optional<String> devhExplicit = devhEnabled.isEmpty() ? Optional.empty()
                    : devhEnabled.get() ? devh.explicitClientKey(channel, devhKey)
                            : devh.explicitClientKey(channel, "enable-keep-alive");
            Optional<String> oursExplicit = explicitClientKey(key);
            for (String other : alsoOurs) {
                oursExplicit = oursExplicit.or(() -> explicitClientKey(other));
            }
            return decide(ours, oursExplicit, devhExplicit);
        }

        <T> T server(String key, T ours, boolean devhExplicit, String devhKey) {
            String ourName = SERVER + "." + key;
            Optional<String> oursExplicit = configured.isSet(ourName) ? Optional.of(ourName) : Optional.empty();
            return decide(ours, oursExplicit,
                    devhExplicit ? Optional.of(NetDevhProperties.serverProperty(devhKey)) : Optional.empty());
        }

        private Optional<String> explicitClientKey(String key) {
            if (configured.isSet(ConfiguredProperties.entry(CLIENT_CHANNELS, channel, key))) {
                return Optional.of(channelPrefix(channel) + "." + key);
            }
            String defaults = CLIENT_DEFAULTS + "." + key;
            return configured.isSet(defaults) ? Optional.of(defaults) : Optional.empty();
        }

        private <T> T decide(T ours, Optional<String> oursExplicit, Optional<String> devhExplicit) {
            if (devhExplicit.isEmpty()) {
                return ours;
            }
            if (oursExplicit.isEmpty()) {
                return null;
            }
            overlaps.add(oursExplicit.get() + " overrides " + devhExplicit.get()
                    + "; remove one of them so the configuration says one thing");
            return ours;
        }
    }
}
