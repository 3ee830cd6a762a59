package io.github.grpcresilience.autoconfigure.channel;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.keepalive.ClientKeepAlivePolicy;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.pool.PoolSettings;
import io.github.grpcresilience.transport.AppliedTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A channel's settings in force, as the {@code grpc} actuator endpoint shows them: durations as
 * {@code 20s}, the service config as grpc-java reads it, what the transport hook applied. No
 * credentials. Serialised by Jackson; {@code null} fields are left out.
 *
 * @param pool a {@link Pool}, or {@code "off (max-size 1)"}
 * @param serviceConfig the service config map, as applied to the builder
 * @param transport what the transport hook applied, null for a channel it did not build
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelSettingsView(TcpKeepalive tcpKeepalive, Keepalive keepalive, Map<String, ?> serviceConfig,
        String loadBalancingPolicy, String unaryTimeout, String resolverRefresh, Object pool, String idleTimeout,
        Health health, Transport transport) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TcpKeepalive(boolean enabled, String idle, String interval, Integer count, String userTimeout) {
    }

    /** @param source who set the time in force: {@code grpc.resilience}, or the underlying starter's property */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Keepalive(boolean enabled, String time, String timeout, boolean withoutCalls, String source) {
    }

    public record Pool(int minSize, int maxSize, int maxConcurrentCallsPerConnection, int minCallsPerConnection,
            String resizeInterval, int maxResizeStep, String refreshInterval) {
    }

    public record Health(String connectingGrace, String transientFailureGrace, boolean critical) {
    }

    public record Transport(String flavour, String socket, Map<String, Object> socketOptions, List<String> unsupported) {
    }

    /** @param transport what the transport hook applied, or null */
    public static ChannelSettingsView of(ChannelSettings settings, AppliedTransport transport) {
        ClientKeepAlivePolicy policy = settings.keepAlive().policy();
        TcpKeepAlive tcp = policy.tcp();
        ChannelProperties properties = settings.properties();
        ChannelSettings.Calls calls = settings.calls();
        return new ChannelSettingsView(
                tcp.enabled() ? new TcpKeepalive(true, format(tcp.idle()), format(tcp.interval()), tcp.count(),
                        format(tcp.effectiveUserTimeout())) : new TcpKeepalive(false, null, null, null, null),
                new Keepalive(settings.keepAlive().time().isPresent(),
                        settings.keepAlive().time().map(Durations::format).orElse(null),
                        policy.timeout() == null ? null : format(policy.timeout()), settings.keepAlive().withoutCalls(),
                        settings.keepAlive().source()),
                calls.serviceConfig().toMap(), calls.loadBalancingPolicy(),
                calls.unaryTimeout() == null ? "none" : format(calls.unaryTimeout()),
                calls.refreshInterval().map(Durations::format).orElse("off"),
                settings.pool().<Object>map(ChannelSettingsView::pool).orElse("off (max-size 1)"),
                properties.getIdleTimeout() != null ? format(properties.getIdleTimeout()) : "30m (grpc-java default)",
                new Health(format(properties.getHealth().getConnectingGrace()),
                        format(properties.getHealth().getTransientFailureGrace()), properties.getHealth().isCritical()),
                transport == null ? null : new Transport(transport.flavour(), transport.socket(),
                        new TreeMap<>(transport.socketOptions()), transport.unsupported()));
    }

    private static Pool pool(PoolSettings pool) {
        return new Pool(pool.minSize(), pool.maxSize(), pool.maxCallsPerConnection(), pool.minCallsPerConnection(),
                format(pool.resizeInterval()), pool.maxResizeStep(),
                pool.refreshInterval() == null ? "off" : format(pool.refreshInterval()));
    }

    private static String format(Duration duration) {
        return Durations.format(duration);
    }
}
