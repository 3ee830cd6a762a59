package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.transport.AppliedTransport;
import io.github.grpcresilience.transport.TransportHooks;
import io.grpc.ManagedChannelBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;

/**
 * Applies the keepalive settings and the transport hook to every channel builder net.devh
 * creates, after net.devh's own properties. Ordered first among configurers, so a user's own
 * {@code GrpcChannelConfigurer} can still change anything.
 *
 * <p>Thread-safety: net.devh may create channels from several threads; the settings and hooks
 * are thread-safe and {@link #applied} is a concurrent map.
 */
public final class ResilientChannelConfigurer implements ChannelBuilderCustomizer, Ordered {

    /** Runs before user configurers (which default to the lowest precedence). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;
    private static final String IN_PROCESS_BUILDER = "io.grpc.inprocess.InProcessChannelBuilder";
    private static final Logger log = LoggerFactory.getLogger(ResilientChannelConfigurer.class);

    private final ChannelSettingsResolver settings;
    private final TransportHooks hooks;
    private final GoAwayRegistry goAways;
    private final Map<String, AppliedTransport> applied = new ConcurrentHashMap<>();

    public ResilientChannelConfigurer(ChannelSettingsResolver settings, TransportHooks hooks, GoAwayRegistry goAways) {
        this.settings = settings;
        this.hooks = hooks;
        this.goAways = goAways;
    }

    @Override
    public void customize(String name, ManagedChannelBuilder<?> builder) {
        if (builder.getClass().getName().equals(IN_PROCESS_BUILDER)) {
            log.debug("gRPC channel '{}' is in-process: keepalive does not apply", name);
            return;
        }
        ChannelSettings.KeepAlive client = settings.channel(name).keepAlive();
        for (String overlap : client.overlaps()) {
            log.warn("gRPC channel '{}': {}", name, overlap);
        }
        TcpKeepAlive tcp = client.policy().tcp();
        Optional<AppliedTransport> transport = hooks.install(builder, tcp, goAways.listenerFor(name));
        if (transport.isEmpty()) {
            log.warn("gRPC channel '{}': {} is not a Netty channel builder, so kernel TCP keepalive and GOAWAY "
                    + "detection are not applied; use grpc-netty or grpc-netty-shaded for this channel",
                    name, builder.getClass().getName());
        } else {
            applied.put(name, transport.get());
            if (tcp.enabled() && !transport.get().unsupported().isEmpty()) {
                log.info("gRPC channel '{}': {} sockets cannot set {}; the other TCP keepalive options are set",
                        name, transport.get().socket(), transport.get().unsupported());
            }
        }
        client.policy().applyTo(builder);
        log.info("gRPC channel '{}': tcp-keepalive {}, HTTP/2 keepalive {}{}", name,
                tcp.enabled() ? Durations.format(tcp.idle()) + " + " + tcp.count() + " x "
                        + Durations.format(tcp.interval()) : "off",
                client.time().map(Durations::format).orElse("off"),
                client.withoutCalls() ? " (also without calls)" : "");
    }

    /** What the transport hook applied to each channel created so far. */
    public Map<String, AppliedTransport> applied() {
        return Map.copyOf(applied);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
