package io.github.grpcresilience.sample;

import io.github.grpcresilience.sample.proto.AgentMessage;
import io.github.grpcresilience.sample.proto.ConfigRequest;
import io.github.grpcresilience.sample.proto.ConfigSnapshot;
import io.github.grpcresilience.sample.proto.ConfigUpdate;
import io.github.grpcresilience.sample.proto.ControlPlaneGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.devh.boot.grpc.server.service.GrpcService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;

/**
 * The control plane: an in-memory configuration that changes every push interval and is pushed to
 * every subscribed agent. It counts the acks it receives per agent; with DEBUG logging for this class
 * it logs each push and each ack (the fault soak benchmark reads them).
 *
 * <p>Threads: gRPC calls arrive on the server's executor, pushes run on one scheduler thread. The
 * configuration is guarded by {@code this}; each subscriber's stream is written under its own
 * lock, because a {@link StreamObserver} is not thread-safe.
 */
@GrpcService
@Profile("!client")
public class ControlPlaneService extends ControlPlaneGrpc.ControlPlaneImplBase {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneService.class);

    private final SampleProperties properties;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> acks = new ConcurrentHashMap<>();
    private final Map<String, String> entries = new TreeMap<>();
    private long version;
    private ScheduledExecutorService pusher;

    public ControlPlaneService(SampleProperties properties) {
        this.properties = properties;
        entries.put("log-level", "info");
        entries.put("rollout", "step-0");
    }

    @PostConstruct
    void start() {
        pusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "control-plane-push");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.getPushInterval().toMillis();
        pusher.scheduleAtFixedRate(this::pushNextVersion, interval, interval, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        pusher.shutdownNow();
    }

    @Override
    public void getConfig(ConfigRequest request, StreamObserver<ConfigSnapshot> responses) {
        synchronized (this) {
            responses.onNext(ConfigSnapshot.newBuilder().setVersion(version).putAllEntries(entries).build());
        }
        responses.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> subscribe(StreamObserver<ConfigUpdate> responses) {
        Subscriber subscriber = new Subscriber((ServerCallStreamObserver<ConfigUpdate>) responses);
        subscriber.stream.setOnCancelHandler(() -> subscribers.remove(subscriber));
        return new StreamObserver<>() {
            @Override
            public void onNext(AgentMessage message) {
                if (message.hasHello()) {
                    subscriber.agentId = message.getHello().getAgentId();
                    subscribers.add(subscriber);
                    log.info("Agent {} subscribed ({} subscribers)", message.getHello().getAgentId(), subscribers.size());
                    sendSnapshot(subscriber);
                } else if (message.hasAck()) {
                    acks.computeIfAbsent(subscriber.agentId, id -> new AtomicLong()).incrementAndGet();
                    subscriber.ackedThrough.accumulateAndGet(message.getAck().getSequence(), Math::max);
                    log.debug("Agent {} acknowledged version {} (ack {})", subscriber.agentId,
                            message.getAck().getVersion(), message.getAck().getSequence());
                }
            }

            @Override
            public void onError(Throwable error) {
                subscribers.remove(subscriber);
            }

            @Override
            public void onCompleted() {
                subscribers.remove(subscriber);
                subscriber.complete();
            }
        };
    }

    private void sendSnapshot(Subscriber subscriber) {
        synchronized (this) {
            entries.forEach((key, value) -> subscriber.send(
                    ConfigUpdate.newBuilder().setVersion(version).setKey(key).setValue(value).build()));
        }
    }

    private void pushNextVersion() {
        ConfigUpdate update;
        synchronized (this) {
            version++;
            entries.put("rollout", "step-" + version);
            update = ConfigUpdate.newBuilder().setVersion(version).setKey("rollout").setValue(entries.get("rollout"))
                    .build();
        }
        for (Subscriber subscriber : subscribers) {
            subscriber.send(update);
        }
        log.debug("Pushed config version {} to {} subscriber(s)", update.getVersion(), subscribers.size());
    }

    /** Acks received from the agent since this control plane started. */
    public long acksReceived(String agentId) {
        AtomicLong count = acks.get(agentId);
        return count == null ? 0 : count.get();
    }

    /**
     * One agent's stream; writes are serialised by its own lock. Every update it is sent carries
     * the highest ack sequence received on this stream, which confirms the agent's acks up to it
     * (a stream delivers in order, so all earlier ones arrived too).
     */
    private final class Subscriber {
        private final ServerCallStreamObserver<ConfigUpdate> stream;
        /** From the stream's Hello; the stream's inbound messages arrive one at a time. */
        private volatile String agentId = "unknown";
        private final AtomicLong ackedThrough = new AtomicLong();

        Subscriber(ServerCallStreamObserver<ConfigUpdate> stream) {
            this.stream = stream;
        }

        synchronized void send(ConfigUpdate update) {
            if (stream.isCancelled()) {
                subscribers.remove(this);
                return;
            }
            try {
                stream.onNext(update.toBuilder().setAckedThrough(ackedThrough.get()).build());
            } catch (RuntimeException ex) {
                subscribers.remove(this);
                log.warn("Dropped a subscriber whose stream failed: {}", Status.fromThrowable(ex).getCode());
            }
        }

        synchronized void complete() {
            if (!stream.isCancelled()) {
                stream.onCompleted();
            }
        }
    }
}
