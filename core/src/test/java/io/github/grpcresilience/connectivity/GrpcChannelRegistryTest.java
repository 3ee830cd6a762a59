package io.github.grpcresilience.connectivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Subscribers hear of every channel once, whether it was registered before or after they subscribed. */
class GrpcChannelRegistryTest {

    private final GrpcChannelRegistry registry = new GrpcChannelRegistry(Clock.systemUTC());

    @Test
    void aLateSubscriberHearsOfTheChannelsRegisteredBeforeIt() {
        ManagedChannel early = idleChannel();
        Recorder before = new Recorder();
        registry.subscribe(before);
        registry.register("early", "127.0.0.1:1", early, "settings");

        Recorder late = new Recorder();
        registry.subscribe(late);
        ManagedChannel next = idleChannel();
        registry.register("next", "127.0.0.1:1", next, "settings");

        assertThat(before.events).containsExactly("registered early", "registered next");
        assertThat(late.events).containsExactly("registered early", "registered next");

        early.shutdownNow();
        await().atMost(Duration.ofSeconds(5)).until(() -> late.events.contains("shutdown early"));
        assertThat(before.events).containsExactly("registered early", "registered next", "shutdown early");
        assertThat(registry.get("early")).isEmpty();
        next.shutdownNow();
    }

    private static ManagedChannel idleChannel() {
        // Never connects: nothing calls it, and a monitor only watches.
        return NettyChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
    }

    private static final class Recorder implements GrpcChannelRegistry.Subscriber {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onRegistered(GrpcChannelRegistry.Entry entry) {
            events.add("registered " + entry.name());
        }

        @Override
        public void onShutdown(GrpcChannelRegistry.Entry entry) {
            events.add("shutdown " + entry.name());
        }
    }
}
