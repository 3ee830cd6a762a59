package io.github.grpcresilience.autoconfigure.channel;

import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.ClientOption;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.Explicit;
import io.github.grpcresilience.keepalive.ClientKeepAlivePolicy;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A channel's keepalive: the starter's merged properties, and the underlying starter's where the
 * user set them explicitly. Rule: an explicit underlying property wins over the starter's default;
 * when the starter's is explicit too, the starter's wins and the overlap is reported (one startup
 * WARN naming both). An underlying keepalive explicitly switched off owns every keepalive option.
 */
final class ClientKeepAliveResolution {

    /** grpc-java disables keepalive for this time. */
    static final Duration DISABLED = Duration.ofNanos(Long.MAX_VALUE);

    private final String channel;
    private final ConfiguredProperties configured;
    private final UnderlyingGrpcSettings underlying;
    private final Optional<Explicit<Boolean>> underlyingEnabled;
    private final List<String> overlaps = new ArrayList<>();

    private ClientKeepAliveResolution(String channel, ConfiguredProperties configured,
            UnderlyingGrpcSettings underlying) {
        this.channel = channel;
        this.configured = configured;
        this.underlying = underlying;
        this.underlyingEnabled = underlying.client(channel, ClientOption.KEEPALIVE_ENABLED, Boolean.class);
    }

    static ChannelSettings.KeepAlive resolve(String channel, ChannelProperties merged, ConfiguredProperties configured,
            UnderlyingGrpcSettings underlying) {
        return new ClientKeepAliveResolution(channel, configured, underlying).resolve(merged);
    }

    private ChannelSettings.KeepAlive resolve(ChannelProperties merged) {
        ChannelProperties.TcpKeepalive tcp = merged.getTcpKeepalive();
        TcpKeepAlive tcpKeepAlive = tcp.isEnabled()
                ? new TcpKeepAlive(true, tcp.getIdle(), tcp.getInterval(), tcp.getCount(), tcp.getUserTimeout())
                : TcpKeepAlive.DISABLED;
        ChannelProperties.Keepalive http2 = merged.getKeepalive();
        Duration time = choose("keepalive.time", http2.isEnabled() ? http2.getTime() : DISABLED,
                ClientOption.KEEPALIVE_TIME, "keepalive.enabled");
        Duration timeout = http2.isEnabled()
                ? choose("keepalive.timeout", http2.getTimeout(), ClientOption.KEEPALIVE_TIMEOUT)
                : null;
        Boolean withoutCalls = choose("keepalive.without-calls", http2.isWithoutCalls(),
                ClientOption.KEEPALIVE_WITHOUT_CALLS);
        ClientKeepAlivePolicy policy = new ClientKeepAlivePolicy(tcpKeepAlive, time, timeout, withoutCalls,
                merged.getIdleTimeout());

        boolean underlyingOn = underlyingEnabled.map(Explicit::value).orElse(false);
        Optional<Duration> effectiveTime;
        if (time != null) {
            effectiveTime = time.equals(DISABLED) ? Optional.empty() : Optional.of(time);
        } else if (underlyingOn) {
            effectiveTime = Optional.of(underlying.client(channel, ClientOption.KEEPALIVE_TIME, Duration.class)
                    .map(Explicit::value).orElse(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME));
        } else {
            effectiveTime = Optional.empty();
        }
        boolean effectiveWithoutCalls = withoutCalls != null ? withoutCalls
                : underlyingOn && underlying.client(channel, ClientOption.KEEPALIVE_WITHOUT_CALLS, Boolean.class)
                        .map(Explicit::value).orElse(false);
        String source = time != null ? "grpc.resilience"
                : underlying.client(channel, ClientOption.KEEPALIVE_TIME, String.class).filter(set -> underlyingOn)
                        .map(Explicit::property)
                        .or(() -> underlyingEnabled.map(Explicit::property)).orElse("grpc.resilience");
        return new ChannelSettings.KeepAlive(policy, effectiveTime, effectiveWithoutCalls, List.copyOf(overlaps),
                source);
    }

    /**
     * The starter's value, or null to leave the underlying starter's in force.
     *
     * @param alsoOurs further keys of the starter's that count as setting this option
     */
    private <T> T choose(String key, T ours, ClientOption option, String... alsoOurs) {
        Optional<String> underlyingExplicit = underlyingEnabled.isEmpty() ? Optional.empty()
                : underlyingEnabled.get().value()
                        ? underlying.client(channel, option, String.class).map(Explicit::property)
                        : Optional.of(underlyingEnabled.get().property());
        if (underlyingExplicit.isEmpty()) {
            return ours;
        }
        Optional<String> oursExplicit = explicit(key);
        for (String other : alsoOurs) {
            oursExplicit = oursExplicit.or(() -> explicit(other));
        }
        if (oursExplicit.isEmpty()) {
            return null;
        }
        overlaps.add(oursExplicit.get() + " overrides " + underlyingExplicit.get()
                + "; remove one of them so the configuration says one thing");
        return ours;
    }

    /** The most specific of the channel's levels that sets the key, if any. */
    private Optional<String> explicit(String key) {
        List<String> levels = ChannelLevels.of(channel);
        for (int i = levels.size() - 1; i >= 0; i--) {
            if (configured.isSet(levels.get(i) + "." + key)) {
                return Optional.of(i == 0 ? ChannelLevels.DEFAULTS + "." + key
                        : ChannelLevels.prefix(channel) + "." + key);
            }
        }
        return Optional.empty();
    }
}
