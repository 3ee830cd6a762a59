package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a GOAWAY {@code too_many_pings} into one ERROR line that names the channel, its keepalive
 * time and the property to change. grpc-java itself only logs a WARNING without the channel and
 * silently doubles the keepalive time for that channel's new connections.
 */
final class TooManyPingsReporter implements GoAwayRegistry.Subscriber {

    private static final Logger log = LoggerFactory.getLogger(TooManyPingsReporter.class);

    private final ChannelSettingsResolver settings;

    TooManyPingsReporter(ChannelSettingsResolver settings) {
        this.settings = settings;
    }

    @Override
    public void onGoAway(String channel, GoAwayReason reason, long http2ErrorCode, String debugData) {
        if (reason != GoAwayReason.TOO_MANY_PINGS) {
            return;
        }
        ChannelSettings.KeepAlive client = settings.channel(channel).keepAlive();
        String time = client.time().map(Durations::format).orElse("off");
        log.error("gRPC channel '{}': server sent GOAWAY too_many_pings: it permits fewer pings than this "
                + "channel's HTTP/2 keepalive time {}{} sends, and grpc-java now doubles that time for the "
                + "channel's new connections. Raise {}.keepalive.time to the server's permit-keepalive time "
                + "({} for servers with default settings){}", channel, time,
                client.withoutCalls() ? " (without calls)" : "",
                ChannelSettingsResolver.channelPrefix(channel),
                Durations.format(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME),
                client.withoutCalls() ? " or set keepalive.without-calls to false" : "");
    }
}
