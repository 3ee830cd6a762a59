package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import io.github.grpcresilience.keepalive.NetworkIdleTimeout;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.boot.convert.DurationStyle;

/**
 * A channel's keepalive, idle and health values: values that cannot work, values grpc-java would
 * silently change, and a network idle timeout that neither keepalive layer beats.
 */
final class KeepAliveChecks {

    private static final int MAX_TCP_KEEPALIVE_COUNT = 127;

    private KeepAliveChecks() {
    }

    static void check(String prefix, ChannelProperties p, ChannelSettings.KeepAlive keepAlive) {
        ChannelProperties.TcpKeepalive tcp = p.getTcpKeepalive();
        if (tcp.isEnabled()) {
            PropertyChecks.wholeSeconds(prefix + ".tcp-keepalive.idle", tcp.getIdle(), "20s");
            PropertyChecks.wholeSeconds(prefix + ".tcp-keepalive.interval", tcp.getInterval(), "20s");
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
                throw new InvalidGrpcResiliencePropertyException(prefix + ".keepalive.time", Durations.format(time),
                        "grpc-java silently raises a client keepalive time below 10s to 10s",
                        "Set " + prefix + ".keepalive.time to 10s or more; to find dead peers faster, "
                                + "lower " + prefix + ".tcp-keepalive.idle instead.");
            }
            positive(prefix + ".keepalive.timeout", http2.getTimeout());
            if (http2.getTimeout().compareTo(time) >= 0) {
                throw new InvalidGrpcResiliencePropertyException(prefix + ".keepalive.timeout",
                        Durations.format(http2.getTimeout()),
                        "the keepalive timeout must be shorter than the keepalive time (" + Durations.format(time) + ")",
                        "Set " + prefix + ".keepalive.timeout below " + prefix + ".keepalive.time, e.g. 20s.");
            }
        }
        if (p.getIdleTimeout() != null) {
            positive(prefix + ".idle-timeout", p.getIdleTimeout());
        }
        positive(prefix + ".health.connecting-grace", p.getHealth().getConnectingGrace());
        positive(prefix + ".health.transient-failure-grace", p.getHealth().getTransientFailureGrace());
        if (p.getNetwork().getIdleTimeout() != null) {
            checkNetworkIdleTimeout(prefix, p, keepAlive);
        }
    }

    private static void checkNetworkIdleTimeout(String prefix, ChannelProperties p, ChannelSettings.KeepAlive keepAlive) {
        String property = prefix + ".network.idle-timeout";
        NetworkIdleTimeout network = parseNetworkIdleTimeout(property, p.getNetwork().getIdleTimeout());
        ChannelProperties.TcpKeepalive tcp = p.getTcpKeepalive();
        String layerProperty;
        Duration fastest;
        if (tcp.isEnabled()) {
            layerProperty = prefix + ".tcp-keepalive.idle";
            fastest = tcp.getIdle();
        } else if (keepAlive.time().isPresent()) {
            layerProperty = prefix + ".keepalive.time";
            fastest = keepAlive.time().get();
        } else {
            throw new InvalidGrpcResiliencePropertyException(property, network.describe(),
                    "both keepalive layers are off, so a quiet connection is dropped by the network after "
                            + network.describe(),
                    "Set " + prefix + ".tcp-keepalive.enabled to true.");
        }
        if (fastest.compareTo(network.value()) >= 0) {
            throw new InvalidGrpcResiliencePropertyException(layerProperty, Durations.format(fastest),
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

    private static void positive(String property, Duration value) {
        PropertyChecks.positive(property, value, "20s");
    }
}
