package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.PropertyNamesCheck;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns once at startup about each {@code grpc.resilience.client.channels.<name>} that matches no
 * net.devh client: no {@code grpc.client.<name>.*} property and no channel of that name created
 * while the singletons were built ({@code @GrpcClient} fields). A WARN, not a failure: a channel
 * may still be created later under that name (a prototype bean, {@code GrpcChannelFactory} in code).
 */
final class ChannelNamesCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ChannelNamesCheck.class);

    private final ChannelSettingsResolver settings;
    private final ObjectProvider<GrpcChannelRegistry> registry;

    ChannelNamesCheck(ChannelSettingsResolver settings, ObjectProvider<GrpcChannelRegistry> registry) {
        this.settings = settings;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        known.addAll(settings.underlying().clientNames());
        registry.ifAvailable(channels -> channels.all().forEach(entry -> known.add(entry.name())));
        for (String name : settings.configuredChannelNames()) {
            if (!known.contains(name)) {
                log.warn(message(name, known));
            }
        }
    }

    static String message(String name, Set<String> known) {
        String message = ChannelSettingsResolver.channelPrefix(name) + " matches no gRPC client: no grpc.client."
                + name + ".* property is set and no channel of that name was created at startup, so these "
                + "settings apply only if code creates a channel named " + name + " later. Known clients: "
                + known + ".";
        String closest = known.stream()
                .min(Comparator.comparingInt(candidate -> distance(name.toLowerCase(), candidate.toLowerCase())))
                .orElse(null);
        if (closest != null && distance(name.toLowerCase(), closest.toLowerCase()) <= Math.max(2, name.length() / 3)) {
            message += " Did you mean " + ChannelSettingsResolver.channelPrefix(closest) + "?";
        }
        return message;
    }

    private static int distance(String a, String b) {
        return PropertyNamesCheck.distance(a, b);
    }
}
