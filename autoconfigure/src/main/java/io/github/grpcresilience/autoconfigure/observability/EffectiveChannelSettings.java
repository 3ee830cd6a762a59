package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.keepalive.KeepAliveSettings;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.serviceconfig.ServiceConfigSettings;
import io.github.grpcresilience.keepalive.ClientKeepAlivePolicy;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.transport.AppliedTransport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The effective settings of a channel (after the defaults were merged and the integration's
 * explicit properties were taken into account), as the {@code grpc} endpoint shows them. Apart
 * from the adapter that registers each channel with these settings, so that any adapter shows the
 * same ones.
 */
public final class EffectiveChannelSettings {

    private final KeepAliveSettings settings;
    private final ObjectProvider<ResilientChannelConfigurer> configurer;
    private final ObjectProvider<ServiceConfigSettings> serviceConfigs;

    public EffectiveChannelSettings(KeepAliveSettings settings, ObjectProvider<ResilientChannelConfigurer> configurer,
            ObjectProvider<ServiceConfigSettings> serviceConfigs) {
        this.settings = settings;
        this.configurer = configurer;
        this.serviceConfigs = serviceConfigs;
    }

    /** The settings channel {@code name} is built with, for the endpoint. */
    public Map<String, Object> describe(String name) {
        KeepAliveSettings.Client client = settings.client(name);
        ClientKeepAlivePolicy policy = client.policy();
        ChannelProperties properties = client.properties();
        Map<String, Object> result = new LinkedHashMap<>();

        Map<String, Object> tcp = new LinkedHashMap<>();
        tcp.put("enabled", policy.tcp().enabled());
        if (policy.tcp().enabled()) {
            tcp.put("idle", Durations.format(policy.tcp().idle()));
            tcp.put("interval", Durations.format(policy.tcp().interval()));
            tcp.put("count", policy.tcp().count());
            tcp.put("userTimeout", Durations.format(policy.tcp().effectiveUserTimeout()));
        }
        result.put("tcpKeepalive", tcp);

        Map<String, Object> http2 = new LinkedHashMap<>();
        http2.put("enabled", client.keepAliveTime().isPresent());
        client.keepAliveTime().ifPresent(time -> http2.put("time", Durations.format(time)));
        if (policy.timeout() != null) {
            http2.put("timeout", Durations.format(policy.timeout()));
        }
        http2.put("withoutCalls", client.keepAliveWithoutCalls());
        http2.put("source", policy.time() == null ? "net.devh grpc.client." + name : "grpc.resilience");
        result.put("keepalive", http2);

        ServiceConfigSettings serviceConfig = serviceConfigs.getIfAvailable();
        if (serviceConfig != null) {
            ServiceConfigSettings.Channel channel = serviceConfig.channel(name);
            result.put("serviceConfig", channel.serviceConfig().toMap());
            result.put("loadBalancingPolicy", channel.effectiveLoadBalancingPolicy());
            result.put("unaryTimeout", channel.defaultTimeout() == null ? "none"
                    : Durations.format(channel.defaultTimeout()));
            result.put("resolverRefresh", channel.refreshInterval().map(Durations::format).orElse("off"));
        } else {
            result.put("serviceConfig", "none (grpc-java default: transparent retry only)");
        }
        result.put("pool", pool(properties.getPool()));
        result.put("idleTimeout", properties.getIdleTimeout() != null ? Durations.format(properties.getIdleTimeout())
                : "30m (grpc-java default)");
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("connectingGrace", Durations.format(properties.getHealth().getConnectingGrace()));
        health.put("transientFailureGrace", Durations.format(properties.getHealth().getTransientFailureGrace()));
        health.put("critical", properties.getHealth().isCritical());
        result.put("health", health);

        ResilientChannelConfigurer applied = configurer.getIfAvailable();
        AppliedTransport transport = applied == null ? null : applied.applied().get(name);
        if (transport != null) {
            Map<String, Object> transportMap = new LinkedHashMap<>();
            transportMap.put("flavour", transport.flavour());
            transportMap.put("socket", transport.socket());
            transportMap.put("socketOptions", new java.util.TreeMap<>(transport.socketOptions()));
            transportMap.put("unsupported", transport.unsupported());
            result.put("transport", transportMap);
        }
        return result;
    }

    private static Object pool(ChannelProperties.Pool pool) {
        if (pool.getMaxSize() <= 1) {
            return "off (max-size 1)";
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("minSize", pool.getMinSize());
        result.put("maxSize", pool.getMaxSize());
        result.put("maxConcurrentCallsPerConnection", pool.getMaxConcurrentCallsPerConnection());
        result.put("minCallsPerConnection", pool.effectiveMinCallsPerConnection());
        result.put("resizeInterval", Durations.format(pool.getResizeInterval()));
        result.put("maxResizeStep", pool.getMaxResizeStep());
        result.put("refreshInterval", pool.getRefreshInterval() == null ? "off"
                : Durations.format(pool.getRefreshInterval()));
        return result;
    }
}
