package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.keepalive.Durations;

/** A channel of this application that targets its own server must respect that server's permit. */
public final class SelfTargetCheck {

    private SelfTargetCheck() {
    }

    /** Checks every configured channel that targets this application's own server. */
    public static void check(ChannelSettingsResolver channels, ServerKeepAliveSettings server) {
        for (String channel : channels.channelNames()) {
            if (channels.underlying().targetsOwnServer(channel)) {
                check(channels.channel(channel), server);
            }
        }
    }

    private static void check(ChannelSettings channel, ServerKeepAliveSettings server) {
        ChannelSettings.KeepAlive keepAlive = channel.keepAlive();
        String permitProperty = ServerKeepAliveSettings.PREFIX + ".permit-keepalive.time";
        if (keepAlive.time().isPresent() && keepAlive.time().get().compareTo(server.permitTime()) < 0) {
            throw new InvalidGrpcResiliencePropertyException(channel.prefix() + ".keepalive.time",
                    Durations.format(keepAlive.time().get()),
                    "channel '" + channel.name() + "' targets this application's own server, which permits one ping "
                            + "per " + Durations.format(server.permitTime()) + " (" + permitProperty
                            + "); faster pings get GOAWAY too_many_pings",
                    "Raise " + channel.prefix() + ".keepalive.time to at least " + Durations.format(server.permitTime())
                            + " or lower " + permitProperty + ".");
        }
        if (keepAlive.time().isPresent() && keepAlive.withoutCalls() && !server.permitWithoutCalls()) {
            String permitWithoutCalls = ServerKeepAliveSettings.PREFIX + ".permit-keepalive.without-calls";
            throw new InvalidGrpcResiliencePropertyException(channel.prefix() + ".keepalive.without-calls", true,
                    "channel '" + channel.name() + "' targets this application's own server, which does not permit "
                            + "pings without calls (" + permitWithoutCalls + "=false)",
                    "Set " + channel.prefix() + ".keepalive.without-calls to false or " + permitWithoutCalls
                            + " to true.");
        }
    }
}
