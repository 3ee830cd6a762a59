package io.github.grpcresilience.transport;

import io.grpc.InternalChannelz;
import io.grpc.InternalChannelz.ChannelStats;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalInstrumented;
import io.grpc.InternalWithLogId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the socket options of a client channel's connected sockets from channelz. Netty reads
 * them from the kernel with getsockopt, so this is what the socket really has, not what a builder
 * was asked for. Test-only: channelz types are grpc-internal.
 */
public final class ChannelzSockets {

    private ChannelzSockets() {
    }

    /** The options ({@code TCP_KEEPIDLE -> 20}, ...) of every connected socket of channels with this target. */
    public static List<Map<String, String>> optionsOf(String target) throws Exception {
        InternalChannelz channelz = InternalChannelz.instance();
        List<Map<String, String>> result = new ArrayList<>();
        for (InternalInstrumented<ChannelStats> root : channelz.getRootChannels(0, 10_000).channels) {
            ChannelStats stats = root.getStats().get(5, TimeUnit.SECONDS);
            if (!target.equals(stats.target)) {
                continue;
            }
            for (InternalWithLogId sub : stats.subchannels) {
                ChannelStats subStats = channelz.getSubchannel(sub.getLogId().getId()).getStats().get(5, TimeUnit.SECONDS);
                for (InternalWithLogId socket : subStats.sockets) {
                    InternalInstrumented<SocketStats> instrumented = channelz.getSocket(socket.getLogId().getId());
                    if (instrumented != null) {
                        result.add(withShortNames(instrumented.getStats().get(5, TimeUnit.SECONDS).socketOptions.others));
                    }
                }
            }
        }
        return result;
    }

    /** Epoll options are listed as {@code ...EpollChannelOption#TCP_KEEPIDLE}: keep the part after '#'. */
    private static Map<String, String> withShortNames(Map<String, String> options) {
        Map<String, String> result = new java.util.TreeMap<>();
        options.forEach((name, value) -> result.put(name.substring(name.indexOf('#') + 1), value));
        return result;
    }
}
