package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import io.github.grpcresilience.keepalive.NetworkIdleTimeout;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.convert.DurationStyle;

/**
 * Checks keepalive settings at startup, before any connection: values that cannot work, values
 * grpc-java would silently change, and combinations that provoke {@code too_many_pings} or let a
 * load balancer drop quiet connections. Each failure names the property and the fix.
 */
final class KeepAliveValidator {

    private static final int MAX_TCP_KEEPALIVE_COUNT = 127;

    private final KeepAliveSettings settings;

    KeepAliveValidator(KeepAliveSettings settings) {
        this.settings = settings;
    }

    /** Validates the defaults, every configured channel and the server; throws on the first problem. */
    void validate() {
        GrpcResilienceProperties properties = settings.properties();
        NetDevhProperties devh = settings.netDevh();
        Set<String> channels = new TreeSet<>(properties.getClient().getChannels().keySet());
        channels.addAll(devh.clientNames());
        validateChannel(KeepAliveSettings.CLIENT_DEFAULTS, settings.client(NetDevhProperties.GLOBAL));
        for (String channel : channels) {
            validateChannel(KeepAliveSettings.channelPrefix(channel), settings.client(channel));
        }
        validateServer(properties.getServer());
        for (String channel : channels) {
            if (devh.targetsOwnServer(channel)) {
                validateSelfTarget(channel, settings.client(channel));
            }
        }
    }

    private void validateChannel(String prefix, KeepAliveSettings.Client client) {
        ChannelProperties p = client.properties();
        ChannelProperties.TcpKeepalive tcp = p.getTcpKeepalive();
        if (tcp.isEnabled()) {
            wholeSeconds(prefix + ".tcp-keepalive.idle", tcp.getIdle());
            wholeSeconds(prefix + ".tcp-keepalive.interval", tcp.getInterval());
            if (tcp.getCount() < 1 || tcp.getCount() > MAX_TCP_KEEPALIVE_COUNT) {
                throw new InvalidGrpcResiliencePropertyException(prefix + ".tcp-keepalive.count", tcp.getCount(),
                        "the number of probes must be between 1 and " + MAX_TCP_KEEPALIVE_COUNT,
                        "Set " + prefix + ".tcp-keepalive.count to a small number such as 3.");
            }
            if (tcp.getUserTimeout() != null) {
                positive(prefix + ".tcp-keepalive.user-timeout", tcp.getUserTimeout());
            }
        }
        ChannelProperties.Keepalive http2 = p.getKeepalive();
        if (http2.isEnabled()) {
            Duration time = http2.getTime();
            positive(prefix + ".keepalive.time", time);
            if (time.compareTo(KeepAliveLimits.MIN_CLIENT_KEEPALIVE_TIME) < 0) {
                throw new InvalidGrpcResiliencePropertyException(prefix + ".keepalive.time", format(time),
                        "grpc-java silently raises a client keepalive time below 10s to 10s",
                        "Set " + prefix + ".keepalive.time to 10s or more; to find dead peers faster, "
                                + "lower " + prefix + ".tcp-keepalive.idle instead.");
            }
            positive(prefix + ".keepalive.timeout", http2.getTimeout());
            if (http2.getTimeout().compareTo(time) >= 0) {
                throw new InvalidGrpcResiliencePropertyException(prefix + ".keepalive.timeout",
                        format(http2.getTimeout()),
                        "the keepalive timeout must be shorter than the keepalive time (" + format(time) + ")",
                        "Set " + prefix + ".keepalive.timeout below " + prefix + ".keepalive.time, e.g. 20s.");
            }
        }
        if (p.getIdleTimeout() != null) {
            positive(prefix + ".idle-timeout", p.getIdleTimeout());
        }
        positive(prefix + ".health.connecting-grace", p.getHealth().getConnectingGrace());
        positive(prefix + ".health.transient-failure-grace", p.getHealth().getTransientFailureGrace());
        if (p.getNetwork().getIdleTimeout() != null) {
            validateNetworkIdleTimeout(prefix, client);
        }
    }

    private void validateNetworkIdleTimeout(String prefix, KeepAliveSettings.Client client) {
        String property = prefix + ".network.idle-timeout";
        NetworkIdleTimeout network = parseNetworkIdleTimeout(property, client.properties().getNetwork().getIdleTimeout());
        ChannelProperties.TcpKeepalive tcp = client.properties().getTcpKeepalive();
        String layerProperty;
        Duration fastest;
        if (tcp.isEnabled()) {
            layerProperty = prefix + ".tcp-keepalive.idle";
            fastest = tcp.getIdle();
        } else if (client.keepAliveTime().isPresent()) {
            layerProperty = prefix + ".keepalive.time";
            fastest = client.keepAliveTime().get();
        } else {
            throw new InvalidGrpcResiliencePropertyException(property, network.describe(),
                    "both keepalive layers are off, so a quiet connection is dropped by the network after "
                            + network.describe(),
                    "Set " + prefix + ".tcp-keepalive.enabled to true.");
        }
        if (fastest.compareTo(network.value()) >= 0) {
            throw new InvalidGrpcResiliencePropertyException(layerProperty, format(fastest),
                    "it is not below " + property + "=" + network.describe()
                            + ", so the network drops quiet connections before the first keepalive",
                    "Lower " + layerProperty + " below " + network.describe() + ".");
        }
    }

    private static NetworkIdleTimeout parseNetworkIdleTimeout(String property, String value) {
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("aws-alb")) {
            throw new InvalidGrpcResiliencePropertyException(property, value, NetworkIdleTimeout.AWS_ALB_REASON,
                    "Remove " + property + " for channels behind an AWS ALB.");
        }
        Optional<NetworkIdleTimeout> preset = NetworkIdleTimeout.preset(trimmed);
        if (preset.isPresent()) {
            return preset.get();
        }
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(trimmed);
        } catch (IllegalArgumentException ex) {
            throw new InvalidGrpcResiliencePropertyException(property, value,
                    "it is neither a duration nor a known preset",
                    "Set " + property + " to a duration such as 350s or to one of "
                            + new TreeSet<>(NetworkIdleTimeout.PRESETS.keySet()) + ".");
        }
        positive(property, duration);
        return new NetworkIdleTimeout(duration, null);
    }

    private void validateServer(GrpcResilienceProperties.Server server) {
        String prefix = KeepAliveSettings.SERVER;
        positive(prefix + ".keepalive.time", server.getKeepalive().getTime());
        positive(prefix + ".keepalive.timeout", server.getKeepalive().getTimeout());
        positive(prefix + ".permit-keepalive.time", server.getPermitKeepalive().getTime());
        GrpcResilienceProperties.Server.Connection connection = server.getConnection();
        if (connection.getMaxIdle() != null) {
            positive(prefix + ".connection.max-idle", connection.getMaxIdle());
        }
        if (connection.getMaxAge() != null) {
            positive(prefix + ".connection.max-age", connection.getMaxAge());
        }
        if (connection.getMaxAgeGrace() != null) {
            positive(prefix + ".connection.max-age-grace", connection.getMaxAgeGrace());
        }
    }

    /** A channel of this application that targets its own server must respect that server's permit. */
    private void validateSelfTarget(String channel, KeepAliveSettings.Client client) {
        KeepAliveSettings.Server server = settings.server();
        String clientPrefix = KeepAliveSettings.channelPrefix(channel);
        String permitProperty = KeepAliveSettings.SERVER + ".permit-keepalive.time";
        if (client.keepAliveTime().isPresent() && client.keepAliveTime().get().compareTo(server.permitTime()) < 0) {
            throw new InvalidGrpcResiliencePropertyException(clientPrefix + ".keepalive.time",
                    format(client.keepAliveTime().get()),
                    "channel '" + channel + "' targets this application's own server, which permits one ping per "
                            + format(server.permitTime()) + " (" + permitProperty
                            + "); faster pings get GOAWAY too_many_pings",
                    "Raise " + clientPrefix + ".keepalive.time to at least " + format(server.permitTime())
                            + " or lower " + permitProperty + ".");
        }
        if (client.keepAliveTime().isPresent() && client.keepAliveWithoutCalls() && !server.permitWithoutCalls()) {
            String permitWithoutCalls = KeepAliveSettings.SERVER + ".permit-keepalive.without-calls";
            throw new InvalidGrpcResiliencePropertyException(clientPrefix + ".keepalive.without-calls", true,
                    "channel '" + channel + "' targets this application's own server, which does not permit "
                            + "pings without calls (" + permitWithoutCalls + "=false)",
                    "Set " + clientPrefix + ".keepalive.without-calls to false or " + permitWithoutCalls
                            + " to true.");
        }
    }

    private static void wholeSeconds(String property, Duration value) {
        positive(property, value);
        if (value.toNanos() % 1_000_000_000L != 0) {
            throw new InvalidGrpcResiliencePropertyException(property, format(value),
                    "the kernel takes this option in whole seconds",
                    "Set " + property + " to a whole number of seconds, e.g. " + Math.max(1, value.toSeconds()) + "s.");
        }
    }

    private static void positive(String property, Duration value) {
        PropertyChecks.positive(property, value, "20s");
    }

    static String format(Duration value) {
        return Durations.format(value);
    }
}
