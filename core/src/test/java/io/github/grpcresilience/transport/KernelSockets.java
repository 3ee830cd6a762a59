package io.github.grpcresilience.transport;

import io.grpc.InternalChannelz;
import io.grpc.InternalChannelz.ChannelStats;
import io.grpc.InternalInstrumented;
import io.grpc.InternalWithLogId;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code TCP_USER_TIMEOUT} from the kernel socket of each connection of a client channel.
 * Channelz lists the other TCP options but not this one, so this finds the Netty channel behind
 * each channelz socket and asks its epoll config, which calls getsockopt. Test-only reflection
 * into grpc-internal transports (the transport wrappers' {@code delegate()}, the Netty transport's
 * {@code channel} field); works for both Netty flavours.
 */
public final class KernelSockets {

    private KernelSockets() {
    }

    /** {@code TCP_USER_TIMEOUT} in milliseconds of every connected socket of channels with this target. */
    public static List<Integer> tcpUserTimeoutsOf(String target) throws Exception {
        InternalChannelz channelz = InternalChannelz.instance();
        List<Integer> result = new ArrayList<>();
        for (InternalInstrumented<ChannelStats> root : channelz.getRootChannels(0, 10_000).channels) {
            ChannelStats stats = root.getStats().get(5, TimeUnit.SECONDS);
            if (!target.equals(stats.target)) {
                continue;
            }
            for (InternalWithLogId sub : stats.subchannels) {
                ChannelStats subStats = channelz.getSubchannel(sub.getLogId().getId()).getStats()
                        .get(5, TimeUnit.SECONDS);
                for (InternalWithLogId socket : subStats.sockets) {
                    Object nettyChannel = nettyChannelOf(unwrap(socket));
                    Object config = nettyChannel.getClass().getMethod("config").invoke(nettyChannel);
                    result.add((Integer) config.getClass().getMethod("getTcpUserTimeout").invoke(config));
                }
            }
        }
        return result;
    }

    /** Follows {@code ForwardingConnectionClientTransport.delegate()} down to the Netty transport. */
    private static Object unwrap(Object transport) throws Exception {
        Object current = transport;
        for (Method delegate = find(current.getClass()); delegate != null; delegate = find(current.getClass())) {
            delegate.setAccessible(true);
            current = delegate.invoke(current);
        }
        return current;
    }

    private static Method find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod("delegate");
                if (!java.lang.reflect.Modifier.isAbstract(method.getModifiers())) {
                    return method;
                }
            } catch (NoSuchMethodException ignored) {
                // look in the superclass
            }
        }
        return null;
    }

    private static Object nettyChannelOf(Object nettyTransport) throws Exception {
        Field channel = nettyTransport.getClass().getDeclaredField("channel");
        channel.setAccessible(true);
        return channel.get(nettyTransport);
    }
}
